export * from './agent-chat-protocol';
