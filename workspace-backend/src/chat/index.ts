export * from './chat-types';
export * from './conversation-prompt';
export * from './conversation-repository';
export * from './chat-conversations';
