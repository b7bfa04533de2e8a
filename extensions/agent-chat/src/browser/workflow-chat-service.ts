import { FrontendChatServiceImpl } from '@theia/ai-chat/lib/browser/frontend-chat-service';
import { ChatAgent } from '@theia/ai-chat/lib/common/chat-agents';
import { ChatSession } from '@theia/ai-chat/lib/common/chat-service';
import { ParsedChatRequest, ParsedChatRequestAgentPart, ParsedChatRequestVariablePart } from '@theia/ai-chat/lib/common/parsed-chat-request';
import { injectable } from '@theia/core/shared/inversify';
import { WorkflowChatAgentId } from './workflow-chat-agent';
import { WorkflowCommandName } from './workflow-request';

/**
 * Theia's chat service, but a request that starts with the `/workflow` command and mentions no
 * agent goes to `@Workflow`, whichever agent the session was talking to: the command is the
 * workflow agent's (Theia's own commands only expand into text for the current agent).
 */
@injectable()
export class WorkflowChatService extends FrontendChatServiceImpl {
    override getAgent(parsedRequest: ParsedChatRequest, session: ChatSession): ChatAgent | undefined {
        const mentions = parsedRequest.parts.some(part => part instanceof ParsedChatRequestAgentPart);
        const first = parsedRequest.parts.find(part => part.text.trim() !== '');
        const isWorkflowCommand = first instanceof ParsedChatRequestVariablePart && first.variableName === 'prompt'
            && (first.variableArg === WorkflowCommandName || first.variableArg?.startsWith(`${WorkflowCommandName}|`));
        return !mentions && isWorkflowCommand ? this.chatAgentService.getAgent(WorkflowChatAgentId) ?? super.getAgent(parsedRequest, session) : super.getAgent(parsedRequest, session);
    }
}
