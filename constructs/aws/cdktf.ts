/**
 * The only module that imports the CDK for Terraform runtime. cdktf was archived upstream in December 2025;
 * its maintained fork (CDK Terrain, `cdktn`) is a drop-in replacement, so switching is an edit of this file.
 * Provider resources (`@cdktf/provider-aws/lib/<resource>`) are imported by deep path where they are used.
 */
export { App, Fn, Op, S3Backend, TerraformOutput, TerraformStack, Testing, Token } from 'cdktf';
export type { AppConfig } from 'cdktf';
