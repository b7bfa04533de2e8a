/** The part of `multipart/related` that the GCS upload API uses: metadata part, then media part. */
export interface MultipartPart {
    headers: Record<string, string>;
    body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
    const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    return match ? (match[1] ?? match[2]) : undefined;
}

/** Splits a multipart body. Throws when the body is not well formed, so the server can answer 400. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
    const delimiter = Buffer.from(`--${boundary}`);
    const parts: MultipartPart[] = [];
    let pos = body.indexOf(delimiter);
    if (pos < 0) {
        throw new Error('multipart body has no boundary');
    }
    for (;;) {
        pos += delimiter.length;
        if (body.subarray(pos, pos + 2).toString() === '--') {
            return parts;
        }
        // Skip the CRLF after the delimiter.
        if (body.subarray(pos, pos + 2).toString() === '\r\n') {
            pos += 2;
        }
        const next = body.indexOf(delimiter, pos);
        if (next < 0) {
            throw new Error('multipart body ends without a closing boundary');
        }
        const raw = body.subarray(pos, next);
        const headerEnd = raw.indexOf('\r\n\r\n');
        if (headerEnd < 0) {
            throw new Error('multipart part has no header terminator');
        }
        const headers: Record<string, string> = {};
        for (const line of raw.subarray(0, headerEnd).toString().split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) {
                headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
            }
        }
        // The part body runs to the CRLF that precedes the next delimiter.
        let end = raw.length;
        if (raw.subarray(end - 2).toString() === '\r\n') {
            end -= 2;
        }
        parts.push({ headers, body: Buffer.from(raw.subarray(headerEnd + 4, end)) });
        pos = next;
    }
}
