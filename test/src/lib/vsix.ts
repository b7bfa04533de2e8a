import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZipFile } from 'yazl';

interface ExtensionManifest {
    readonly name: string;
    readonly publisher: string;
    readonly version: string;
    readonly displayName?: string;
    readonly description?: string;
    readonly engines: { readonly vscode: string };
}

/**
 * Packs an unpacked VS Code extension folder (its package.json at the top) into a `.vsix` at `target`,
 * as `vsce package` lays one out: the files under `extension/`, plus the VSIX manifest and the
 * content-types part of the Open Packaging Conventions. Returns the extension's id, publisher.name.
 */
export async function packVsix(extensionDir: string, target: string): Promise<string> {
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as ExtensionManifest;
    if (!manifest.engines?.vscode) {
        throw new Error(`${extensionDir}/package.json has no engines.vscode: the plugin host would not load it`);
    }
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from(vsixManifest(manifest)), 'extension.vsixmanifest');
    zip.addBuffer(Buffer.from(contentTypes()), '[Content_Types].xml');
    for (const file of filesUnder(extensionDir)) {
        zip.addFile(path.join(extensionDir, file), `extension/${file.split(path.sep).join('/')}`);
    }
    zip.end();
    await new Promise<void>((resolve, reject) => {
        const out = fs.createWriteStream(target);
        out.on('close', resolve).on('error', reject);
        zip.outputStream.on('error', reject).pipe(out);
    });
    return `${manifest.publisher}.${manifest.name}`;
}

function filesUnder(dir: string, prefix = ''): string[] {
    return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap(entry =>
        entry.isDirectory() ? filesUnder(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)]);
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function vsixManifest(m: ExtensionManifest): string {
    return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xml(m.name)}" Version="${xml(m.version)}" Publisher="${xml(m.publisher)}" />
    <DisplayName>${xml(m.displayName ?? m.name)}</DisplayName>
    <Description xml:space="preserve">${xml(m.description ?? '')}</Description>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${xml(m.engines.vscode)}" />
    </Properties>
  </Metadata>
  <Installation><InstallationTarget Id="Microsoft.VisualStudio.Code" /></Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
}

function contentTypes(): string {
    return `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension=".json" ContentType="application/json" />
  <Default Extension=".js" ContentType="application/javascript" />
  <Default Extension=".vsixmanifest" ContentType="text/xml" />
</Types>
`;
}
