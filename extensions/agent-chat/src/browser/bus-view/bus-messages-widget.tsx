import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViews } from '@coditect/studio-platform/common';
import { BusMessage } from '../../common/agent-chat-protocol';
import { BusMessagesModel } from './bus-messages-model';

const K = 'coditect/agent-chat/';

/** The Message Bus view: every message between agents and people, live, newest first; a filter; a line to send one. */
@injectable()
export class BusMessagesWidget extends ReactWidget {
    static readonly ID = StudioViews.messageBus;
    static readonly LABEL = nls.localize(`${K}bus-view-title`, 'Message Bus');

    @inject(BusMessagesModel) readonly model: BusMessagesModel;

    @postConstruct()
    protected init(): void {
        this.id = BusMessagesWidget.ID;
        this.title.label = BusMessagesWidget.LABEL;
        this.title.caption = nls.localize(`${K}bus-view-caption`, 'Message Bus: what the agents and people say to each other');
        this.title.iconClass = codicon('mail');
        this.title.closable = true;
        this.addClass(StudioViews.messageBus);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    protected render(): React.ReactNode {
        const model = this.model;
        const messages = model.messages;
        return <div className='coditect-bus-view'>
            <div className='coditect-bus-toolbar'>
                <input className='theia-input coditect-bus-filter' value={model.filter} spellCheck={false}
                    placeholder={nls.localize(`${K}bus-view-filter`, 'Filter: a topic (reviews, build/*) or an agent (gemini)')}
                    onChange={e => model.filter = e.currentTarget.value} />
            </div>
            {model.error && <div className='theia-widget-noInfo'>{nls.localize(`${K}bus-view-error`, 'The messages could not be read: {0}', model.error)}</div>}
            <div className='coditect-bus-messages'>
                {messages.length === 0
                    ? <div className='theia-widget-noInfo'>{model.filter
                        ? nls.localize(`${K}bus-view-none-match`, 'No message matches the filter.')
                        : nls.localize(`${K}bus-view-empty`, 'No messages yet. Agents message each other with send_message; people below, with @Bus in the chat, or coditect send in a terminal.')}</div>
                    : messages.map(message => <BusMessageRow key={message.id} message={message} nameOf={id => model.nameOf(id)} />)}
            </div>
            <form className='coditect-bus-send' onSubmit={e => { e.preventDefault(); void model.send(); }}>
                <input className='theia-input coditect-bus-draft' value={model.draft} spellCheck={false} disabled={model.busy}
                    placeholder={nls.localize(`${K}bus-view-draft`, 'gemini: please review src/a.ts   ·   topic reviews: ready for review')}
                    onChange={e => model.draft = e.currentTarget.value} />
                <button className='theia-button' type='submit' disabled={model.busy || !model.draft.trim()}>{nls.localize(`${K}bus-view-send`, 'Send')}</button>
            </form>
        </div>;
    }
}

function BusMessageRow({ message, nameOf }: { readonly message: BusMessage; readonly nameOf: (id: string) => string }): React.ReactElement {
    const direct = message.to !== undefined;
    const recipients = message.recipients.map(nameOf).join(', ');
    return <div className={`coditect-bus-message${direct ? ' coditect-bus-direct' : ''}`} data-message-id={message.id}>
        <span className='coditect-bus-time' title={new Date(message.at).toLocaleString()}>{new Date(message.at).toLocaleTimeString()}</span>
        <span className='coditect-bus-route'>
            <span className='coditect-bus-from'>{nameOf(message.from)}</span>
            <span className={codicon('arrow-right')} />
            {direct
                ? <span className='coditect-bus-to'>{nameOf(message.to!)}</span>
                : <span className='coditect-bus-topic' title={recipients
                    ? nls.localize(`${K}bus-view-delivered`, 'Delivered to {0}', recipients)
                    : nls.localize(`${K}bus-view-undelivered`, 'No agent subscribes to this topic')}>#{message.topic}{recipients ? ` (${recipients})` : ''}</span>}
        </span>
        <span className='coditect-bus-text'>{message.text}</span>
    </div>;
}
