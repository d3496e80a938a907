// Language trees of a site (docs/languages.md): Japanese at the root, やさしい日本語 under easy/
// and English under en/, each mirroring the Japanese tree page for page. A site built with
// `languages:` in config.yaml has the folders of the trees it lists; any other site has the
// root tree only.

/** The trees keikaku can write, in the order of src/language.rs (folder, `lang`, `hreflang`). */
export const TREES = [
  { prefix: '', lang: 'ja', hreflang: 'ja', name: '日本語' },
  { prefix: 'easy/', lang: 'ja', hreflang: 'ja-x-easy', name: 'やさしい にほんご' },
  { prefix: 'en/', lang: 'en', hreflang: 'en', name: 'English' },
];

/** The trees present among `pages` (relative *.html paths): the root, and every language
 * folder that has a home page of its own. */
export function languageTrees(pages) {
  return TREES.filter((t) => t.prefix === '' || pages.includes(t.prefix + 'index.html'));
}

/** The tree a page belongs to and its path inside that tree. */
export function treeOf(rel, trees = TREES) {
  const tree = trees.find((t) => t.prefix && rel.startsWith(t.prefix)) || trees.find((t) => t.prefix === '');
  return { tree, inner: rel.slice(tree.prefix.length) };
}

/** The pages of one tree (a language folder's pages are not part of the root tree). */
export function pagesOfTree(pages, tree, trees = TREES) {
  return pages.filter((p) => treeOf(p, trees).tree === tree);
}
