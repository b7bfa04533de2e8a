import { ContainerModule } from '@theia/core/shared/inversify';
import { LanguageGrammarDefinitionContribution } from '@theia/monaco/lib/browser/textmate';
import { GrammarLoader, GrammarLoaderImpl } from './grammar-loader';
import { StudioLanguagesContribution } from './studio-languages-contribution';

export default new ContainerModule(bind => {
    bind(GrammarLoaderImpl).toSelf().inSingletonScope();
    bind(GrammarLoader).toService(GrammarLoaderImpl);
    bind(StudioLanguagesContribution).toSelf().inSingletonScope();
    bind(LanguageGrammarDefinitionContribution).toService(StudioLanguagesContribution);
});
