/** Reading what the landing page serves: the embed's configuration and the CSP's directives. */

export interface EmbeddedSandboxConfig {
  target: string;
  initialState: {
    document?: string;
    variables?: Record<string, unknown>;
    headers?: Record<string, string>;
    sharedHeaders?: Record<string, string>;
    includeCookies?: boolean;
  };
  endpointIsEditable: boolean;
}

/** The configuration Apollo's inline script hands `new EmbeddedSandbox(...)`, parsed from the page. */
export function embeddedSandboxConfig(html: string): EmbeddedSandboxConfig {
  const match = /var embeddedSandboxConfig = (\{.*\});\n/.exec(html);
  if (!match) throw new Error('the landing page has no embeddedSandboxConfig');
  return JSON.parse(match[1]!) as EmbeddedSandboxConfig;
}

/** `directive -> sources` of a Content-Security-Policy header value. */
export function cspDirectives(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Every nonce attribute in the page (quoted or not), deduplicated. */
export function pageNonces(html: string): string[] {
  return [...new Set([...html.matchAll(/\bnonce="?([0-9a-f]+)"?/g)].map((m) => m[1]!))];
}
