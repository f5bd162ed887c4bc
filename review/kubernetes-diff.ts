import { type FieldChange, diffJson } from './json-diff';
import { type EnvironmentOutput, differingObjects } from './synth-root';

/** Kubernetes objects added, changed or removed between two outputs, with the field paths that changed. */

export interface ObjectChange {
  readonly action: 'add' | 'change' | 'remove';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `dist/<env>/` relative file of the head object (base for removals). */
  readonly file: string;
  readonly fields: readonly FieldChange[];
  readonly before?: Record<string, any>;
  readonly after?: Record<string, any>;
}

export function objectKey(body: Record<string, any>): string {
  const group = String(body.apiVersion ?? '').includes('/') ? String(body.apiVersion).split('/')[0] : 'core';
  return `${body.kind}.${group}/${body.metadata?.namespace ?? ''}/${body.metadata?.name}`;
}

/** Only documents whose text differs are compared (and parsed): identical documents hold identical objects. */
export function diffKubernetes(base: EnvironmentOutput | undefined, head: EnvironmentOutput | undefined): ObjectChange[] {
  const objects = differingObjects(base, head);
  const before = new Map(objects.base.map((object) => [objectKey(object.body), object]));
  const after = new Map(objects.head.map((object) => [objectKey(object.body), object]));
  const changes: ObjectChange[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])]) {
    const old = before.get(key);
    const fresh = after.get(key);
    const body = (fresh ?? old)!.body;
    const identity = { kind: body.kind as string, name: body.metadata.name as string, ...(body.metadata.namespace ? { namespace: body.metadata.namespace as string } : {}) };
    if (!old) changes.push({ action: 'add', ...identity, file: fresh!.file, fields: [], after: fresh!.body });
    else if (!fresh) changes.push({ action: 'remove', ...identity, file: old.file, fields: [], before: old.body });
    else {
      const fields = diffJson(old.body, fresh.body);
      if (fields.length > 0) changes.push({ action: 'change', ...identity, file: fresh.file, fields, before: old.body, after: fresh.body });
    }
  }
  return changes.sort((a, b) => a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}
