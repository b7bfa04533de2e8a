import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';

/**
 * Reads the Terraform of docker/terraform as data, without Terraform or its providers (neither can be
 * downloaded where the tests run): each .tf file is parsed by HashiCorp's own HCL parser
 * (@cdktf/hcl2json, the Go hcl library compiled to WASM) into the JSON form of Terraform, where an
 * expression is a string "${...}" and a block is an array of objects.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Hcl = Record<string, any>;

export interface Resource {
    type: string;
    name: string;
    body: Hcl;
}

/** One Terraform module: the blocks of every .tf file of one folder, merged as Terraform merges them. */
export interface TfModule {
    dir: string;
    files: string[];
    variables: Map<string, Hcl>;
    outputs: Map<string, Hcl>;
    locals: Map<string, unknown>;
    resources: Resource[];
    data: Resource[];
    calls: Map<string, Hcl>;
    providers: Map<string, Hcl>;
    settings: Hcl[];
    /** The parsed files, in file order. */
    parsed: Hcl[];
}

export async function parseFile(file: string): Promise<Hcl> {
    try {
        return await parseHcl(path.basename(file), fs.readFileSync(file, 'utf8'));
    } catch (error) {
        throw new Error(`${file} is not valid HCL: ${(error as Error).message}`, { cause: error });
    }
}

/** Every file under `dir` whose name ends with `suffix`, sorted. */
export function filesUnder(dir: string, suffix: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter(entry => entry.isFile() && entry.name.endsWith(suffix))
        .map(entry => path.join(entry.parentPath, entry.name))
        .sort();
}

function addUnique<T>(map: Map<string, T>, key: string, value: T, what: string, dir: string): void {
    assert.ok(!map.has(key), `${dir}: ${what} "${key}" is declared twice`);
    map.set(key, value);
}

function single(blocks: Hcl[], what: string): Hcl {
    assert.equal(blocks.length, 1, `${what} is declared once`);
    return blocks[0];
}

function addResources(target: Resource[], section: Hcl | undefined, dir: string, kind: string): void {
    for (const [type, byName] of Object.entries(section ?? {})) {
        for (const [name, blocks] of Object.entries(byName as Hcl)) {
            assert.ok(!target.some(r => r.type === type && r.name === name), `${dir}: ${kind} ${type}.${name} is declared twice`);
            target.push({ type, name, body: single(blocks as Hcl[], `${dir}: ${kind} ${type}.${name}`) });
        }
    }
}

export async function loadModule(dir: string): Promise<TfModule> {
    const files = fs.readdirSync(dir).filter(name => name.endsWith('.tf')).sort().map(name => path.join(dir, name));
    assert.ok(files.length > 0, `${dir} holds .tf files`);
    const module: TfModule = {
        dir, files, variables: new Map(), outputs: new Map(), locals: new Map(), resources: [], data: [],
        calls: new Map(), providers: new Map(), settings: [], parsed: [],
    };
    for (const file of files) {
        const parsed = await parseFile(file);
        module.parsed.push(parsed);
        for (const [name, blocks] of Object.entries((parsed.variable ?? {}) as Hcl)) {
            addUnique(module.variables, name, single(blocks, `variable ${name}`), 'variable', dir);
        }
        for (const [name, blocks] of Object.entries((parsed.output ?? {}) as Hcl)) {
            addUnique(module.outputs, name, single(blocks, `output ${name}`), 'output', dir);
        }
        for (const [name, blocks] of Object.entries((parsed.module ?? {}) as Hcl)) {
            addUnique(module.calls, name, single(blocks, `module ${name}`), 'module', dir);
        }
        for (const [name, blocks] of Object.entries((parsed.provider ?? {}) as Hcl)) {
            addUnique(module.providers, name, single(blocks, `provider ${name}`), 'provider', dir);
        }
        for (const block of (parsed.locals ?? []) as Hcl[]) {
            for (const [name, value] of Object.entries(block)) {
                addUnique(module.locals, name, value, 'local', dir);
            }
        }
        module.settings.push(...((parsed.terraform ?? []) as Hcl[]));
        addResources(module.resources, parsed.resource, dir, 'resource');
        addResources(module.data, parsed.data, dir, 'data source');
    }
    return module;
}

/** Every string anywhere in `node` (attribute values, list items, map values). */
export function stringsIn(node: unknown): string[] {
    if (typeof node === 'string') {
        return [node];
    }
    if (Array.isArray(node)) {
        return node.flatMap(stringsIn);
    }
    if (node && typeof node === 'object') {
        return Object.values(node).flatMap(stringsIn);
    }
    return [];
}

/** The bodies of the ${...} interpolations in `node`'s strings: Terraform expressions, never prose. */
export function expressionsIn(node: unknown): string[] {
    const found: string[] = [];
    for (const text of stringsIn(node)) {
        for (let start = text.indexOf('${'); start >= 0; start = text.indexOf('${', start + 2)) {
            let depth = 0;
            for (let i = start + 1; i < text.length; i++) {
                if (text[i] === '{') {
                    depth++;
                } else if (text[i] === '}' && --depth === 0) {
                    found.push(text.slice(start + 2, i));
                    break;
                }
            }
        }
    }
    return found;
}

/** The names after `prefix.` in the expressions of `node`: references('var', x) is every var.<name>. */
export function references(node: unknown, prefix: string): Set<string> {
    const pattern = new RegExp(`(?<![\\w.])${prefix.replace(/\./g, '\\.')}\\.([A-Za-z0-9_-]+)`, 'g');
    return new Set(expressionsIn(node).flatMap(expression => [...expression.matchAll(pattern)].map(match => match[1])));
}

/** The variable's default, or undefined when it has none (a required variable). */
export function defaultOf(module: TfModule, name: string): unknown {
    return module.variables.get(name)?.default;
}

/**
 * Fills var.<name> and local.<name> references in `value` with what is known without running
 * Terraform: `lookupVar(name)` (a default, or what the caller passes), and the module's locals. What
 * is unknown stays an expression ("${module.bucket.name}").
 */
export function resolver(module: TfModule, lookupVar: (name: string) => unknown): (value: unknown) => unknown {
    const lookup = (kind: string, name: string): unknown => kind === 'var'
        ? lookupVar(name)
        : module.locals.has(name) ? resolve(module.locals.get(name)) : undefined;
    const resolve = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(resolve);
        }
        if (typeof value !== 'string') {
            return value;
        }
        const whole = /^\$\{(var|local)\.([a-z0-9_]+)\}$/.exec(value);
        if (whole) {
            return lookup(whole[1], whole[2]) ?? value;
        }
        return value.replace(/\$\{(var|local)\.([a-z0-9_]+)\}/g, (expression, kind: string, name: string) => {
            const found = lookup(kind, name);
            return found === undefined || typeof found === 'object' ? expression : String(found);
        });
    };
    return resolve;
}

/** The one block `key` of `node` (a nested block is an array of one object in Terraform's JSON). */
export function block(node: Hcl, key: string): Hcl {
    const blocks = node[key] as Hcl[] | undefined;
    assert.ok(Array.isArray(blocks) && blocks.length === 1, `one "${key}" block`);
    return blocks[0];
}

/** The blocks `key` of `node`, none when absent. */
export function blocks(node: Hcl, key: string): Hcl[] {
    return (node[key] ?? []) as Hcl[];
}

/** The one resource of `type` named `name` in `module`. */
export function resource(module: TfModule, type: string, name?: string): Resource {
    const found = module.resources.filter(r => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `${module.dir}: one ${type}${name ? `.${name}` : ''}`);
    return found[0];
}
