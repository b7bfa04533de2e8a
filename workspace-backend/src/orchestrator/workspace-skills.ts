import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFrontMatter } from './front-matter';

/** Where a workspace keeps its skills: `<name>/SKILL.md` each, as Claude Code's skills are laid out. */
export const SkillsFolder = '.coditect/skills';

export interface Skill {
    readonly name: string;
    readonly description: string;
    /** The SKILL.md, relative to the workspace. */
    readonly file: string;
    /** The instructions after the front matter. */
    readonly body: string;
}

/** The most of one skill's instructions an agent's context takes, and of all of them together. */
const MaxSkillChars = 12_000;
const MaxSkillsChars = 24_000;
const SkillName = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Reads one SKILL.md; throws an Error saying what is wrong with it. */
export function parseSkill(file: string, text: string): Skill {
    const { front, body } = readFrontMatter(file, text, 'name and description');
    const { name, description } = front;
    if (typeof name !== 'string' || !SkillName.test(name)) {
        throw new Error(`${file}: "name" must be lower-case letters, digits and "-", at most 64 characters (such as "project-tracker").`);
    }
    if (typeof description !== 'string' || description.trim() === '') {
        throw new Error(`${file}: "description" must say what the skill does and when to use it; it is how an agent finds it.`);
    }
    return { name, description: description.trim(), file, body };
}

/** The workspace's skills, by name; a SKILL.md that cannot be read is left out and named in `problems`. */
export function readSkills(workspaceDir: string): { readonly skills: readonly Skill[]; readonly problems: readonly string[] } {
    const folder = path.join(workspaceDir, SkillsFolder);
    let entries: fs.Dirent[];
    try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
        return { skills: [], problems: [] };
    }
    const skills: Skill[] = [];
    const problems: string[] = [];
    for (const entry of entries.filter(e => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const file = `${SkillsFolder}/${entry.name}/SKILL.md`;
        try {
            skills.push(parseSkill(file, fs.readFileSync(path.join(workspaceDir, file), 'utf8')));
        } catch (error) {
            problems.push((error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} is missing.` : (error as Error).message);
        }
    }
    return { skills, problems };
}

const StopWords = new Set(['about', 'after', 'agent', 'agents', 'before', 'their', 'there', 'these', 'those', 'using', 'which', 'while', 'where', 'should', 'would', 'could', 'other', 'every', 'works', 'when', 'with', 'from', 'into', 'this', 'that', 'what', 'task', 'tasks', 'file', 'files', 'skill']);

function words(text: string): Set<string> {
    return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter(w => w.length >= 5 && !StopWords.has(w)));
}

/**
 * The skills a task's prompt calls for: one it names (`project-tracker`, `/project-tracker`), or one
 * whose description shares at least two significant words with it. The others are only listed.
 */
export function skillsFor(prompt: string, skills: readonly Skill[]): Skill[] {
    const lower = prompt.toLowerCase();
    const promptWords = words(prompt);
    return skills.filter(skill => new RegExp(`(^|[^a-z0-9-])/?${skill.name}($|[^a-z0-9-])`).test(lower)
        || [...words(skill.description)].filter(w => promptWords.has(w)).length >= 2);
}

/** The skills section of an agent's context: every skill by name and description, and the instructions of those the task calls for. */
export function skillsContext(skills: readonly Skill[], prompt: string): string[] {
    if (skills.length === 0) {
        return [];
    }
    const matched = skillsFor(prompt, skills);
    let budget = MaxSkillsChars;
    const loaded = matched.map(skill => {
        const body = skill.body.slice(0, Math.min(MaxSkillChars, Math.max(0, budget)));
        budget -= body.length;
        return `### Skill: ${skill.name}\n${body}${body.length < skill.body.length ? `\n(cut here; read ${skill.file} for the rest)` : ''}`;
    });
    return [
        '## Skills',
        'Instructions for kinds of work in this workspace. Those that fit this task follow; read another one\'s file with read_file when it fits.',
        skills.map(skill => `- ${skill.name}: ${skill.description} (${skill.file})`).join('\n'),
        ...loaded,
    ];
}
