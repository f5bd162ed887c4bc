/**
 * Terraform JSON treats every string as a template: `${` and `%{` start interpolations and directives. cdktf's
 * `Fn.rawString` escapes neither backslashes nor `%{`, so text such as shell scripts and Kafka's `${provider:...}`
 * references is escaped here instead.
 */

/** `text` as an HCL quoted string literal (with quotes) that evaluates to exactly `text`. */
export function hclStringLiteral(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

/**
 * A Terraform expression for gzip + base64 of `text`: cloud-init unpacks gzip user data itself, which keeps a node's
 * user data far below EC2's 16 KiB limit while the synthesized JSON still shows the text for review.
 */
export function base64gzipExpression(text: string): string {
  return `\${base64gzip(${hclStringLiteral(text)})}`;
}
