import { css } from 'lit';

/**
 * Shared by every part of the widget (each has its own shadow root, so nothing leaks in or out).
 * Colours meet WCAG 2.1 AA on white: text ≥ 4.5:1, the focus ring and the progress bar ≥ 3:1.
 * Hosts may theme through the custom properties (they inherit through shadow roots).
 */
export const base = css`
  :host {
    --_accent: var(--ct-accent, #c2410c);
    --_accent-dark: var(--ct-accent-dark, #9a3412);
    --_ink: var(--ct-ink, #1f2937);
    --_muted: var(--ct-muted, #4b5563);
    --_line: var(--ct-line, #e5e7eb);
    --_soft: var(--ct-soft, #fff7ed);
    --_focus: var(--ct-focus, #1d4ed8);
    --_radius: var(--ct-radius, 10px);
    color: var(--_ink);
    font-family: var(--ct-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    font-size: 1rem;
    line-height: 1.45;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2,
  h3,
  p,
  ul {
    margin: 0;
  }
  ul {
    padding: 0;
    list-style: none;
  }
  .muted {
    color: var(--_muted);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 44px;
    padding: 0.55em 1em;
    border: 2px solid var(--_accent);
    border-radius: 999px;
    background: var(--_accent);
    color: #fff;
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
    white-space: nowrap;
  }
  .button:hover {
    background: var(--_accent-dark);
    border-color: var(--_accent-dark);
  }
  .button.secondary {
    background: #fff;
    color: var(--_accent-dark);
  }
  .button.secondary:hover {
    background: var(--_soft);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .button {
      transition: background-color 120ms ease;
    }
  }
`;
