import { FrontendApplicationConfigProvider } from '@theia/core/lib/browser/frontend-application-config-provider';
import { ApplicationProps } from '@theia/application-package/lib/application-props';

// Imported first by the welcome page's specs: Theia's workspace service reads the app's configuration when it loads.
FrontendApplicationConfigProvider.set({ ...ApplicationProps.DEFAULT.frontend.config, applicationName: 'CODITECT Development Studio' });
