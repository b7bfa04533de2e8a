import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { GrammarEndpoint } from './grammar-endpoint';

export default new ContainerModule(bind => {
    bind(GrammarEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(GrammarEndpoint);
});
