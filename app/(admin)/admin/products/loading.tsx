// These pages wait on AWS; the rest answer from the database fast enough to need no placeholder.
export { PageLoading as default } from "@/components/ui/page-loading";
