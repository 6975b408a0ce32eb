import { errors, type ErrorTree, type FieldError } from './errors.js';

type Path = ReadonlyArray<string | number>;
type Json = Record<string, unknown>;

const IS_COMPONENTS_V2 = 1 << 15;
const BUTTON = 2;
const ACTION_ROW = 1;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
const LINK_STYLE = 5;
const PREMIUM_STYLE = 6;

/** Collects field errors into Discord's nested `errors` tree, then throws a single 50035. */
export class FormProblems {
  private readonly tree: ErrorTree = {};
  private count = 0;

  add(path: Path, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const next = node[String(key)];
      if (next === undefined || Array.isArray(next)) {
        const child: ErrorTree = {};
        node[String(key)] = child;
        node = child;
      } else {
        node = next;
      }
    }
    const list = (node['_errors'] as FieldError[] | undefined) ?? [];
    list.push({ code, message });
    node['_errors'] = list;
    this.count++;
  }

  maxLength(path: Path, value: unknown, max: number): void {
    if (typeof value === 'string' && length(value) > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  maxItems(path: Path, value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  bounded(path: Path, value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) {
      this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (typeof value === 'string' && (length(value) < min || length(value) > max)) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  throwIfAny(): void {
    if (this.count > 0) throw errors.invalidFormBody(this.tree);
  }
}

/** Discord counts characters (code points), not UTF-16 units. */
function length(text: string): number {
  return [...text].length;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Checks a message create/edit body against Discord's documented limits. */
export function validateMessage(body: Json, problems: FormProblems, prefix: Path = []): void {
  const at = (...rest: Array<string | number>) => [...prefix, ...rest];
  const v2 = typeof body['flags'] === 'number' && (body['flags'] & IS_COMPONENTS_V2) !== 0;

  if (v2) {
    for (const legacy of ['content', 'embeds'] as const) {
      const value = body[legacy];
      if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
        problems.add(at(legacy), 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' and \'embeds\' fields cannot be used when using components v2');
      }
    }
  }
  problems.maxLength(at('content'), body['content'], 2000);
  validateEmbeds(body['embeds'], problems, at('embeds'));
  validateComponents(body['components'], problems, at('components'), v2);
}

function validateEmbeds(value: unknown, problems: FormProblems, path: Path): void {
  problems.maxItems(path, value, 10);
  let total = 0;
  asArray(value).forEach((raw, i) => {
    const embed = asObject(raw) ?? {};
    const at = (...rest: Array<string | number>) => [...path, i, ...rest];
    const text = (v: unknown) => (typeof v === 'string' ? length(v) : 0);
    problems.maxLength(at('title'), embed['title'], 256);
    problems.maxLength(at('description'), embed['description'], 4096);
    total += text(embed['title']) + text(embed['description']);

    const fields = embed['fields'];
    problems.maxItems(at('fields'), fields, 25);
    asArray(fields).forEach((rawField, j) => {
      const field = asObject(rawField) ?? {};
      problems.bounded(at('fields', j, 'name'), field['name'], 1, 256);
      problems.bounded(at('fields', j, 'value'), field['value'], 1, 1024);
      total += text(field['name']) + text(field['value']);
    });

    const footer = asObject(embed['footer']);
    problems.maxLength(at('footer', 'text'), footer?.['text'], 2048);
    const author = asObject(embed['author']);
    problems.maxLength(at('author', 'name'), author?.['name'], 256);
    total += text(footer?.['text']) + text(author?.['name']);
  });
  if (total > 6000) problems.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function validateComponents(value: unknown, problems: FormProblems, path: Path, v2: boolean): void {
  const seenIds = new Set<string>();
  let total = 0;

  const visit = (raw: unknown, at: Path, inRow: boolean): void => {
    const component = asObject(raw) ?? {};
    total++;
    const type = component['type'];
    if (type === ACTION_ROW) {
      const children = asArray(component['components']);
      if (children.length === 0) problems.add([...at, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
      problems.maxItems([...at, 'components'], children, 5);
      if (children.length > 1 && children.some((child) => SELECT_TYPES.has(asObject(child)?.['type'] as number))) {
        problems.add([...at, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
      }
      children.forEach((child, i) => visit(child, [...at, 'components', i], true));
      return;
    }
    if (!v2 && !inRow) {
      problems.add([...at, 'type'], 'COMPONENT_TYPE_INVALID', 'Components of this type must be placed in an action row');
    }
    if (type === BUTTON) validateButton(component, at);
    if (SELECT_TYPES.has(type as number)) validateSelect(component, at);
    // Components v2 containers/sections nest children and accessories.
    asArray(component['components']).forEach((child, i) => visit(child, [...at, 'components', i], false));
    if (component['accessory'] !== undefined) visit(component['accessory'], [...at, 'accessory'], true);
  };

  const checkCustomId = (component: Json, at: Path): void => {
    const id = component['custom_id'];
    problems.bounded([...at, 'custom_id'], id, 1, 100);
    if (typeof id !== 'string') return;
    if (seenIds.has(id)) problems.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    seenIds.add(id);
  };

  const validateButton = (button: Json, at: Path): void => {
    problems.maxLength([...at, 'label'], button['label'], 80);
    if (button['style'] === LINK_STYLE) {
      if (typeof button['url'] !== 'string') problems.add([...at, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (button['style'] !== PREMIUM_STYLE) {
      checkCustomId(button, at);
    }
  };

  const validateSelect = (select: Json, at: Path): void => {
    checkCustomId(select, at);
    problems.maxLength([...at, 'placeholder'], select['placeholder'], 150);
    if (select['type'] !== 3) return;
    const options = select['options'];
    problems.maxItems([...at, 'options'], options, 25);
    asArray(options).forEach((raw, i) => {
      const option = asObject(raw) ?? {};
      problems.bounded([...at, 'options', i, 'label'], option['label'], 1, 100);
      problems.bounded([...at, 'options', i, 'value'], option['value'], 1, 100);
      problems.maxLength([...at, 'options', i, 'description'], option['description'], 100);
    });
  };

  if (!v2) problems.maxItems(path, value, 5);
  asArray(value).forEach((component, i) => visit(component, [...path, i], false));
  if (v2 && total > 40) problems.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
}

/** Autocomplete result (callback type 8): at most 25 choices, names 1-100 characters. */
export function validateAutocomplete(data: Json, problems: FormProblems, prefix: Path): void {
  const choices = data['choices'];
  problems.maxItems([...prefix, 'choices'], choices, 25);
  asArray(choices).forEach((raw, i) => {
    const choice = asObject(raw) ?? {};
    problems.bounded([...prefix, 'choices', i, 'name'], choice['name'], 1, 100);
    if (typeof choice['value'] === 'string') problems.maxLength([...prefix, 'choices', i, 'value'], choice['value'], 100);
    else if (typeof choice['value'] !== 'number') problems.add([...prefix, 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
}

/** Modal (callback type 9): custom_id, a title of at most 45 characters and 1-5 top-level components. */
export function validateModal(data: Json, problems: FormProblems, prefix: Path): void {
  problems.bounded([...prefix, 'custom_id'], data['custom_id'], 1, 100);
  problems.bounded([...prefix, 'title'], data['title'], 1, 45);
  const components = asArray(data['components']);
  if (components.length === 0) problems.add([...prefix, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
  problems.maxItems([...prefix, 'components'], components, 5);
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const CHAT_INPUT = 1;

/** Bulk command overwrite: names, descriptions, option and choice counts, uniqueness. */
export function validateCommands(body: unknown, problems: FormProblems): void {
  if (!Array.isArray(body)) {
    problems.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const seen = new Set<string>();
  body.forEach((raw, i) => {
    const command = asObject(raw) ?? {};
    const type = (command['type'] as number | undefined) ?? CHAT_INPUT;
    const name = command['name'];
    if (typeof name !== 'string' || (type === CHAT_INPUT && (!COMMAND_NAME.test(name) || name !== name.toLowerCase()))) {
      problems.add([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const key = `${type}:${String(name)}`;
    if (seen.has(key)) problems.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
    if (type === CHAT_INPUT) problems.bounded([i, 'description'], command['description'], 1, 100);
    validateOptions(command['options'], problems, [i, 'options']);
  });
}

function validateOptions(value: unknown, problems: FormProblems, path: Path): void {
  problems.maxItems(path, value, 25);
  let optionalSeen = false;
  asArray(value).forEach((raw, i) => {
    const option = asObject(raw) ?? {};
    const name = option['name'];
    if (typeof name !== 'string' || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      problems.add([...path, i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    problems.bounded([...path, i, 'description'], option['description'], 1, 100);
    problems.maxItems([...path, i, 'choices'], option['choices'], 25);
    if (option['required'] === true && optionalSeen) {
      problems.add([...path, i], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option['required'] !== true && option['type'] !== 1 && option['type'] !== 2) optionalSeen = true;
    if (option['options'] !== undefined) validateOptions(option['options'], problems, [...path, i, 'options']);
  });
}
