import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { Readable } from 'node:stream';

export interface JsonlLine {
    /** 1-based. */
    readonly line: number;
    readonly text: string;
    /** Bytes of the source read so far (for progress). */
    readonly bytesRead: number;
}

/** The lines of a JSONL file or stream, streamed (a transcript may be larger than memory allows). */
export async function* jsonlLines(source: string | Readable): AsyncGenerator<JsonlLine> {
    const stream = typeof source === 'string' ? fs.createReadStream(source) : source;
    let bytesRead = 0;
    stream.on('data', (chunk: Buffer | string) => {
        bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    });
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    try {
        for await (const text of lines) {
            line++;
            yield { line, text, bytesRead };
        }
    } finally {
        lines.close();
        stream.destroy();
    }
}

/** Gives the event loop a turn (between import chunks, so agents are never held up). */
export const yieldToEventLoop = (): Promise<void> => new Promise(resolve => setImmediate(resolve));
