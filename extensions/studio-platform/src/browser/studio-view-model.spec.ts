import * as assert from 'node:assert/strict';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { Container, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViewModel, StudioViewModelSource } from './studio-view-model';

/** A shared watcher that counts its live listeners and lets the test settle its start. */
class FakeWatcher implements StudioViewModelSource {
    readonly emitter = new Emitter<void>();
    listeners = 0;
    starts = 0;
    protected settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    protected readonly started = new Promise<void>((resolve, reject) => this.settle = { resolve, reject });

    readonly onDidChange: Event<void> = listener => {
        this.listeners++;
        const subscription = this.emitter.event(listener);
        return { dispose: () => { this.listeners--; subscription.dispose(); } };
    };

    start(): Promise<void> {
        this.starts++;
        return this.started;
    }
    resolve(): void { this.settle!.resolve(); }
    reject(error: Error): void { this.settle!.reject(error); }
}

@injectable()
class FollowingModel extends StudioViewModel {
    readonly watcher = new FakeWatcher();
    readonly other = new Emitter<string>();
    started: Promise<void>;
    count = 0;

    @postConstruct()
    protected init(): void {
        this.fireOn(this.other.event);
        this.started = this.follow(this.watcher);
    }

    increment(): void {
        this.count++;
        this.fire();
    }
}

describe('StudioViewModel', () => {
    let model: FollowingModel;
    let renders: number;

    beforeEach(() => {
        const container = new Container();
        container.bind(FollowingModel).toSelf();
        model = container.get(FollowingModel);
        renders = 0;
        model.onDidChange(() => renders++);
    });

    it('fires onDidChange for its own changes', () => {
        model.increment();
        model.increment();
        assert.equal(renders, 2);
        assert.equal(model.count, 2);
    });

    it('follows a watcher: starts it, fires once its first state is read and on its every change', async () => {
        assert.equal(model.watcher.starts, 1);
        assert.equal(renders, 0, 'nothing to render before the first state');
        model.watcher.resolve();
        await model.started;
        assert.equal(renders, 1);
        model.watcher.emitter.fire();
        model.other.fire('x');
        assert.equal(renders, 3);
    });

    it('leaves a watcher that fails to start to the caller', async () => {
        model.watcher.reject(new Error('backend unreachable'));
        await assert.rejects(model.started, /backend unreachable/);
        assert.equal(renders, 0);
    });

    it('on dispose, unsubscribes from what it followed and fires no more', async () => {
        assert.equal(model.watcher.listeners, 1);
        model.dispose();
        assert.equal(model.watcher.listeners, 0, 'no listener left on the shared watcher');
        model.watcher.resolve();
        await model.started;
        model.watcher.emitter.fire();
        model.other.fire('x');
        model.increment();
        assert.equal(renders, 0, 'the disposed model\'s emitter is disposed too');
    });
});
