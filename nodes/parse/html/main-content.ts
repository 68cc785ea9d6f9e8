import { headingLevelAttribute, renderHtml, type RenderedHtml } from './html-to-text.js';

export interface HtmlContentOptions {
  /** Keep only the main content (Readability); else the whole body. */
  mainContentOnly: boolean;
  keepHeadings: boolean;
}

export interface HtmlContent extends RenderedHtml {
  title?: string;
  lang?: string;
  /** Where the text came from: Readability's article, the page's main element, or the whole body. */
  extractedFrom: 'readability' | 'main' | 'body';
}

/** Chrome around the content of a page; dropped whenever only the main content is wanted. */
const pageChrome: ReadonlySet<string> = new Set(['nav', 'header', 'footer', 'aside']);
const navigation: ReadonlySet<string> = new Set(['nav']);

/** Parses an HTML document (or a fragment) with linkedom and renders its content as text and tables. */
export async function htmlContent(html: string, options: HtmlContentOptions): Promise<HtmlContent> {
  // linkedom and Readability are loaded on first use: keeps `pipelane mcp` start-up under 1 s
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(asDocument(html));
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    heading.setAttribute(headingLevelAttribute, heading.localName.slice(1)); // Readability renames h1 to h2
  }
  const pageTitle = document.title.replace(/\s+/g, ' ').trim() || undefined;
  const lang = document.documentElement.getAttribute('lang') || undefined;
  const render = (root: Element, dropTags: ReadonlySet<string>) => renderHtml(root, { keepHeadings: options.keepHeadings, dropTags });
  let content: HtmlContent | undefined;
  if (options.mainContentOnly) {
    const { Readability } = await import('@mozilla/readability');
    const article = new Readability(document.cloneNode(true) as Document, { serializer: (node: Node) => node }).parse();
    if (article?.content) {
      const rendered = render(article.content as Element, navigation);
      const title = headlineIn(document, article.title ?? pageTitle) ?? (article.title?.replace(/\s+/g, ' ').trim() || pageTitle);
      if (rendered.text !== '') content = { ...rendered, extractedFrom: 'readability', ...(title ? { title } : {}) };
    }
    if (content === undefined) {
      // Readability found no article: the page's main element, else the body without its chrome
      const main = document.querySelector('main, [role="main"], article');
      const rendered = main ? render(main, navigation) : render(document.body, pageChrome);
      content = { ...rendered, extractedFrom: main ? 'main' : 'body', ...(pageTitle ? { title: pageTitle } : {}) };
    }
  } else {
    content = { ...render(document.body, navigation), extractedFrom: 'body', ...(pageTitle ? { title: pageTitle } : {}) };
  }
  if (content.title && content.text !== '' && !content.hasTitleHeading) {
    // Readability drops the heading that repeats the title; the title then heads the text
    content.text = `${options.keepHeadings ? '# ' : ''}${content.title}\n\n${content.text}`;
    content.hasTitleHeading = true;
  }
  return { ...content, ...(lang ? { lang } : {}) };
}

/**
 * The page's own headline: the first h1 whose text the title contains ("Quarterly report" in
 * "Quarterly report | Example Gazette"). Readability drops that heading from the article.
 */
function headlineIn(document: Document, title: string | null | undefined): string | undefined {
  const lowerTitle = title?.toLowerCase() ?? '';
  for (const heading of document.querySelectorAll('h1')) {
    const text = (heading.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text !== '' && lowerTitle.includes(text.toLowerCase())) return text;
  }
  return undefined;
}

/** linkedom needs a whole document: a fragment ("<p>hi</p>", plain words) is wrapped in one. */
function asDocument(html: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  return /<body[\s>]/i.test(html) ? `<!doctype html><html>${html}</html>` : `<!doctype html><html><head></head><body>${html}</body></html>`;
}

/** The charset a page declares in its first kilobyte (`<meta charset>` or http-equiv content-type). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}
