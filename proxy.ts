import { withAuth } from "next-auth/middleware";

// Coarse gate only: signed-out visitors are sent to the sign-in page. Roles are checked again
// on the server by every layout, page, action and route.
export default withAuth({ pages: { signIn: "/login" } });

export const config = { matcher: ["/admin/:path*", "/portal/:path*"] };
