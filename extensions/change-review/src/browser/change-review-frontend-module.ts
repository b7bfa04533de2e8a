import { ContainerModule } from '@theia/core/shared/inversify';

// The Changes view, the diff editor's resources and the chat's change sets are bound here (next step).
export default new ContainerModule(() => undefined);
