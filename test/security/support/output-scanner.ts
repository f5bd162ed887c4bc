import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Scans synthesized output for secrets: private keys, AWS access keys, Kubernetes Secrets carrying data, literal
 * passwords (properties, JAAS lines, YAML/JSON fields, container env) and literal Terraform secret strings.
 * A value is a reference, and fine, when it is a config-provider/Terraform/shell expansion or a format placeholder.
 */
export interface Finding {
  readonly file: string;
  readonly rule: string;
  readonly detail: string;
}

const PRIVATE_KEY = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const AWS_SECRET_ACCESS_KEY = /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i;
const JAAS_PASSWORD = /password\s*=\s*"([^"]*)"/gi;
const PROPERTIES_PASSWORD = /^\s*([\w.-]*(password|passwd)[\w.-]*)\s*[=:]\s*(.*)$/gim;
const SECRET_KEY = /^(password|passwd|pwd|secret_string|secretString|[\w.-]*[._-]password)$/i;

/** `${...}` (Kafka config providers, Terraform), `$VAR`, `$(command)`, `%s`, `file:`/`env:` providers, ARNs, or nothing. */
export function isReference(value: string): boolean {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  return trimmed === '' || /^(\$\{[^}]+\}|\$\(|\$[A-Za-z_][A-Za-z0-9_]*|%s|file:|env:|arn:)/.test(trimmed);
}

function scanText(file: string, text: string, findings: Finding[]): void {
  if (PRIVATE_KEY.test(text)) findings.push({ file, rule: 'private key', detail: 'a PEM private key block' });
  const accessKey = AWS_ACCESS_KEY_ID.exec(text);
  if (accessKey) findings.push({ file, rule: 'AWS access key', detail: `${accessKey[0].slice(0, 8)}…` });
  if (AWS_SECRET_ACCESS_KEY.test(text)) findings.push({ file, rule: 'AWS secret access key', detail: 'aws_secret_access_key with a value' });
  for (const match of text.matchAll(JAAS_PASSWORD)) {
    if (!isReference(match[1])) findings.push({ file, rule: 'literal password', detail: 'password="…" in a JAAS line' });
  }
  if (file.endsWith('.properties')) {
    for (const match of text.matchAll(PROPERTIES_PASSWORD)) {
      if (!isReference(match[3])) findings.push({ file, rule: 'literal password', detail: `${match[1]} has a literal value` });
    }
  }
}

function walk(file: string, value: unknown, path: string, findings: Finding[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(file, item, `${path}[${index}]`, findings));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  if (object.kind === 'Secret' && object.apiVersion === 'v1') {
    for (const field of ['data', 'stringData']) {
      const content = object[field];
      if (content && typeof content === 'object' && Object.keys(content).length > 0) {
        findings.push({ file, rule: 'Secret with data', detail: `${path}.${field} of Secret ${(object.metadata as { name?: string })?.name}` });
      }
    }
  }
  // Container env: a secret-looking variable must come from valueFrom, never a literal value.
  // `<NAME>_FILE` = an absolute path is the usual way to say where a secret is mounted, not the secret itself.
  const namesAFile = typeof object.name === 'string' && /_FILE$/.test(object.name) && typeof object.value === 'string' && /^\/[^\s]*$/.test(object.value);
  if (typeof object.name === 'string' && /(PASSWORD|PASSWD|SECRET|TOKEN)/i.test(object.name) && typeof object.value === 'string' && !isReference(object.value) && !namesAFile) {
    findings.push({ file, rule: 'literal password', detail: `env ${object.name} at ${path} has a literal value` });
  }
  for (const [key, child] of Object.entries(object)) {
    if (SECRET_KEY.test(key) && typeof child === 'string' && !isReference(child)) {
      findings.push({ file, rule: 'literal password', detail: `${path}.${key} has a literal value` });
    }
    walk(file, child, `${path}.${key}`, findings);
  }
}

export function scanFile(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  scanText(file, text, findings);
  try {
    if (file.endsWith('.json')) walk(file, JSON.parse(text), '$', findings);
    if (file.endsWith('.yaml') || file.endsWith('.yml')) {
      parseAllDocuments(text).forEach((document, index) => walk(file, document.toJS(), `$${index}`, findings));
    }
  } catch (error) {
    findings.push({ file, rule: 'unparseable', detail: String(error) });
  }
  return findings;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Scans every file under each folder; returns the findings (paths relative to `root`) and how many files it read. */
export function scanTree(root: string, dirs: readonly string[]): { findings: Finding[]; files: number } {
  const files = dirs.flatMap((dir) => filesUnder(join(root, dir)));
  const findings = files.flatMap((file) => scanFile(relative(root, file), readFileSync(file, 'utf8')));
  return { findings, files: files.length };
}
