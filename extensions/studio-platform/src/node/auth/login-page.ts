import { LOGIN_PAGE_ID } from '../../common/studio-views';
/** The sign-in page: plain HTML with no script, so it works before (and without) the IDE's bundle. */
export function loginPage(options: { readonly reason?: string; readonly mode: 'local' | 'jwt' }): string {
    const hint = options.mode === 'local'
        ? 'Open the login URL the studio printed when it started (it ends in <code>?token=…</code>), or paste its token here.'
        : 'Paste the access token your organisation issued for this workspace.';
    return page('Sign in', `<h1>Sign in to CODITECT Development Studio</h1>
${options.reason ? `<p class="error" id="coditect-login-error">Not signed in: ${escapeHtml(options.reason)}.</p>` : ''}
<p>${hint}</p>
<form method="post" action="login">
<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="off" required autofocus>
<button type="submit">Sign in</button>
</form>`);
}

/** GET /logout: signing out changes state, so it takes a POST; this page is the button for it. */
export function signOutPage(): string {
    return page('Sign out', `<h1>Sign out of CODITECT Development Studio</h1>
<p>This ends your session in this browser; open editors and terminals close.</p>
<form method="post" action="logout"><button type="submit" id="coditect-sign-out">Sign out</button></form>`);
}

function page(title: string, body: string): string {
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · CODITECT Development Studio</title>
<style>
body { font-family: system-ui, sans-serif; background: #1f1f1f; color: #ccc; display: flex; align-items: center; justify-content: center; height: 100vh; margin: 0; }
main { background: #252526; padding: 2rem 2.5rem; border-radius: 6px; width: 26rem; box-shadow: 0 4px 24px #0008; }
h1 { font-size: 1.2rem; color: #fff; margin-top: 0; }
p { font-size: .9rem; line-height: 1.4; }
.error { color: #f48771; }
input { width: 100%; box-sizing: border-box; padding: .5rem; background: #3c3c3c; color: #fff; border: 1px solid #555; border-radius: 3px; margin: .5rem 0 1rem; }
button { background: #0e639c; color: #fff; border: 0; padding: .5rem 1.2rem; border-radius: 3px; cursor: pointer; }
code { color: #9cdcfe; }
</style></head>
<body><main id="${LOGIN_PAGE_ID}">
${body}
</main></body></html>`;
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!);
}
