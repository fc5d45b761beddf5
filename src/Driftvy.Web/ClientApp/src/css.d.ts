// Style sheets imported for esbuild to bundle beside the page's script (dist/<page>.css).
declare module "*.css";
