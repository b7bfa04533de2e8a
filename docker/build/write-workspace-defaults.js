#!/usr/bin/env node
// Inside the image build: writes what a new, empty workspace starts with into <dir>, from the
// built source tree (the current folder):
//   .coditect/agents/<id>.json   the default agent definitions, from the workspace core's own defaults
//                                (one source of truth; the files are then what people edit)
//   .coditect/workflows/*.md     docker/workspace-defaults/.coditect/workflows
//   README.md                    docker/workspace-defaults/README.md, the container's welcome file
// The workspace core copies <dir> into an empty workspace after its restore (STUDIO_WORKSPACE_DEFAULTS).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const target = process.argv[2];
if (!target) {
    process.stderr.write('usage: write-workspace-defaults.js <dir>\n');
    process.exit(2);
}
const { WorkspaceDefaultAgents, serializeAgentDefinition, AgentDefinitionsFolder } = require(path.resolve('workspace-backend'));

fs.mkdirSync(target, { recursive: true });
fs.cpSync(path.resolve('docker/workspace-defaults'), target, { recursive: true });
const agents = path.join(target, AgentDefinitionsFolder);
fs.mkdirSync(agents, { recursive: true });
for (const definition of WorkspaceDefaultAgents) {
    fs.writeFileSync(path.join(agents, `${definition.id}.json`), serializeAgentDefinition(definition));
}
process.stdout.write(`workspace defaults: ${WorkspaceDefaultAgents.map(d => d.id).join(', ')} and ${fs.readdirSync(path.join(target, '.coditect', 'workflows')).length} workflows in ${target}\n`);
