/** Embed colours: an answer, no coverage, the context around a quote. */
export const COLOR_ANSWER = 0x3b6fb6;
export const COLOR_NONE = 0x8a8f98;
export const COLOR_CONTEXT = 0x6b8e23;
