/** What the tests use of citation-js, which ships no types: a reference manager's import of CSL-JSON and RIS. */
declare module '@citation-js/core' {
  export class Cite {
    static async(data: unknown): Promise<Cite>;
    data: unknown[];
    format(name: string, options?: Record<string, unknown>): string;
  }
}
declare module '@citation-js/plugin-ris';
