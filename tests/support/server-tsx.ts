/**
 * How tests start a product process of their own: tsx with React's server condition, under which
 * the `server-only` marker on secret-holding modules resolves to nothing (as in Next's server).
 */
export const SERVER_TSX = ["tsx", "--conditions=react-server"];
