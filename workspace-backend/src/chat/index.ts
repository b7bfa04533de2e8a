export * from './chat-types';
export * from './conversation-prompt';
export * from './conversation-repository';
export * from './secret-mask';
export * from './chat-conversations';
