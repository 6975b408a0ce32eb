// Lint rules that keep the pipeline one-way: no import cycles, and no stage importing one above it.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of src/, lowest first. A folder may import from the layers before it and from the
 * root files that are leaves (config, errors, files, log); never from its own rank's siblings or above.
 */
const LAYERS = [['corpus'], ['index'], ['retrieval'], ['coverage'], ['answer'], ['present', 'ingest'], ['bot', 'cli'], ['tools']];
const LEAF_FILES = ['collections', 'config', 'errors', 'files', 'log', 'validate'];

const layerZones = LAYERS.flatMap((rank, i) =>
  rank.map((folder) => ({
    target: `./src/${folder}`,
    from: [...LAYERS.slice(i + 1).flat(), ...rank.filter((other) => other !== folder)].map((other) => `./src/${other}`),
    message: `src/${folder} may only import layers below it (corpus → index → retrieval → coverage → answer → present/ingest → bot/cli → tools).`,
  })),
).filter((zone) => zone.from.length > 0);
const leafZones = LEAF_FILES.map((file) => ({
  target: `./src/${file}.ts`,
  from: LAYERS.flat().map((folder) => `./src/${folder}`),
  message: `src/${file}.ts is a leaf that every layer uses: it imports no layer.`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'embeddings/**', 'collections/**', 'corpus/**', '.scratch/**', '.vitest-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...leafZones] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
