import { ChatAgent, ChatAgentLocation } from '@theia/ai-chat/lib/common/chat-agents';
import { MutableChatRequestModel } from '@theia/ai-chat/lib/common/chat-model';

/**
 * What the studio's chat agents (each workspace agent, the bus) share: they relay a request to the
 * backend, so they have no prompts, variables, functions or language model of their own.
 */
export abstract class RelayChatAgent implements ChatAgent {
    abstract readonly id: string;
    abstract readonly name: string;
    abstract readonly description: string;
    abstract readonly iconClass: string;
    readonly locations = [ChatAgentLocation.Panel];
    readonly tags = ['CODITECT'];
    readonly variables: string[] = [];
    readonly prompts = [];
    readonly languageModelRequirements = [];
    readonly agentSpecificVariables = [];
    readonly functions: string[] = [];

    abstract invoke(request: MutableChatRequestModel): Promise<void>;
}
