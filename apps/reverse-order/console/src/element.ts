/** Children of an element: nodes, text (always as text, never parsed as HTML), or nothing. */
export type Child = Node | string | null | undefined | false;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly onClick?: (event: Event) => void;
}

/**
 * Builds an element. Text goes in through text nodes only, so server data (reasons, names) can never
 * become markup; the page's policy forbids inline script anyway, this keeps it from being needed.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  if (props.text !== undefined) element.textContent = props.text;
  if (props.onClick) element.addEventListener('click', props.onClick);
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

/** The element of the page's skeleton (index.html) with this id; missing is a build mistake. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no #${id} ${type.name}`);
  return element;
}

/** Runs an async handler from an event listener; its failures are handled where it awaits. */
export function whenDone(work: () => Promise<void>): () => void {
  return () => {
    work().catch((error: unknown) => console.error(error));
  };
}
