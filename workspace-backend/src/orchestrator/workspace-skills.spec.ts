import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSkill, readSkills, skillsContext, skillsFor } from './workspace-skills';

const skillFile = (name: string, description: string, body: string) => `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n${body}\n`;

describe('workspace skills (.coditect/skills/<name>/SKILL.md)', () => {
    let ws: string;

    beforeEach(() => {
        ws = fs.mkdtempSync(path.join(os.tmpdir(), 'skills-'));
        const write = (folder: string, text: string) => {
            fs.mkdirSync(path.join(ws, '.coditect', 'skills', folder), { recursive: true });
            fs.writeFileSync(path.join(ws, '.coditect', 'skills', folder, 'SKILL.md'), text);
        };
        write('project-tracker', skillFile('project-tracker', 'Keeps docs/PROJECT.md current: milestones, open issues and decisions.', 'Update docs/PROJECT.md at the end of each task.'));
        write('session-aware', skillFile('session-aware', 'Reads earlier sessions of the timeline before starting related work.', 'Ask the prior-session-agent first.'));
        write('broken', 'no front matter here');
        fs.mkdirSync(path.join(ws, '.coditect', 'skills', 'empty'));
    });

    afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

    it('reads each skill\'s front matter and instructions, and names what it cannot read', () => {
        const { skills, problems } = readSkills(ws);
        assert.deepEqual(skills.map(s => [s.name, s.file]), [
            ['project-tracker', '.coditect/skills/project-tracker/SKILL.md'], ['session-aware', '.coditect/skills/session-aware/SKILL.md'],
        ]);
        assert.equal(skills[0].body, 'Update docs/PROJECT.md at the end of each task.');
        assert.deepEqual(problems, [
            '.coditect/skills/broken/SKILL.md must start with front matter between two "---" lines, with name and description.',
            '.coditect/skills/empty/SKILL.md is missing.',
        ]);
        assert.throws(() => parseSkill('x/SKILL.md', skillFile('Bad Name', 'd', '')), /"name" must be lower-case letters/);
        assert.throws(() => parseSkill('x/SKILL.md', '---\nname: a\n---\nbody'), /"description" must say what the skill does/);
        assert.throws(() => parseSkill('x/SKILL.md', '---\nname: [a\n---\n'), /front matter is not valid YAML/);
    });

    it('gives in full the skills a task names or whose description it shares words with, and lists the rest', () => {
        const { skills } = readSkills(ws);
        assert.deepEqual(skillsFor('Use /project-tracker after the refactor', skills).map(s => s.name), ['project-tracker']);
        assert.deepEqual(skillsFor('Record the milestones and decisions of this sprint', skills).map(s => s.name), ['project-tracker']);
        assert.deepEqual(skillsFor('Fix the typo in README', skills), []);
        const context = skillsContext(skills, 'record milestones and decisions').join('\n');
        assert.match(context, /- session-aware: Reads earlier sessions .* \(\.coditect\/skills\/session-aware\/SKILL\.md\)/);
        assert.match(context, /### Skill: project-tracker\nUpdate docs\/PROJECT\.md at the end of each task\./);
        assert.doesNotMatch(context, /### Skill: session-aware/);
        assert.deepEqual(skillsContext([], 'anything'), []);
    });
});
