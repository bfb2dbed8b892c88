/** @jsxImportSource hono/jsx */
// The login page: a plain form (no script needed), posted to LogWatch itself only (form-action 'self').
export interface LoginModel {
  /** Where to go after logging in (a local path). */
  next: string;
  /** Offer user name and password (users are configured), besides the token. */
  users: boolean;
  error?: string;
  css: string;
  icon: string;
}

export function LoginPage(props: LoginModel) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>LogWatch · log in</title>
        <link rel="icon" type="image/svg+xml" href={props.icon} />
        <link rel="stylesheet" href={props.css} />
      </head>
      <body>
        <main class="page login">
          <section class="card" aria-labelledby="login-h">
            <header class="card-head">
              <h1 id="login-h">LogWatch · log in</h1>
            </header>
            <form class="login-form" method="post" action="/login">
              {props.error !== undefined && (
                <p class="login-error" role="alert">
                  {props.error}
                </p>
              )}
              <input type="hidden" name="next" value={props.next} />
              {props.users && (
                <>
                  <label>
                    User <input name="user" autocomplete="username" />
                  </label>
                  <label>
                    Password <input name="password" type="password" autocomplete="current-password" />
                  </label>
                  <p class="muted small">or</p>
                </>
              )}
              <label>
                Token <input name="token" type="password" autocomplete="off" />
              </label>
              <button type="submit">Log in</button>
            </form>
          </section>
        </main>
      </body>
    </html>
  );
}
