import { injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { WorkspaceInput, WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';

/**
 * The studio has one workspace folder, the one its backend serves (studio-workspace-root.ts on
 * the node side), where the agents, locks and file sync work. Theia would open whatever folder a
 * URL's `#/path` names, or one picked with Open Folder: the person would then see and edit a
 * folder the agents never touch.
 *
 * Invariant: the frontend's workspace is the backend's root; any other folder asked for is
 * refused with a message naming the studio's folder, and the URL fragment is cleared.
 */
@injectable()
export class StudioWorkspaceService extends WorkspaceService {

    protected override async doGetDefaultWorkspaceUri(): Promise<string | undefined> {
        const root = await this.server.getMostRecentlyUsedWorkspace();
        const asked = window.location.hash.length > 1 ? decodeURI(window.location.hash.substring(1)) : undefined;
        if (asked !== undefined && root !== undefined && new URI(root).path.toString() !== asked) {
            window.location.hash = '';
            this.messageService.warn(`This studio works on one folder, ${new URI(root).path.fsPath()}; ${asked} was not opened.`);
        }
        return root;
    }

    override async openWorkspace(uri: URI, options?: WorkspaceInput): Promise<void> {
        const root = await this.server.getMostRecentlyUsedWorkspace();
        if (root !== undefined && !new URI(root).isEqual(uri)) {
            this.messageService.warn(`This studio works on one folder, ${new URI(root).path.fsPath()}, the one its agents, locks and file sync use; ${uri.path.fsPath()} was not opened.`);
            return;
        }
        return super.openWorkspace(uri, options);
    }
}
