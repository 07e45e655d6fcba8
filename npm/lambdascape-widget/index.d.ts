// Types for lambdascape-widget: `import 'lambdascape-widget'` (embed.js) defines the
// <lambdascape-widget> custom element; these declarations describe it and its attributes (see
// README.md), so TypeScript, JSX and MDX users get completion and a check of the values.
// The attribute values are the ones the widget accepts (crates/embed/src/options.rs); a value
// the widget would reject shows an error box in that widget at run time and fails to type-check
// here. With React 19's types (React.JSX), also add `import type {} from 'lambdascape-widget/react'`.

/** What the widget shows. */
export type LambdascapeView =
  /** headline figures and the topology (functions, VPC, environment dots); the default */
  | 'topology'
  /** one chart: the `chart` attribute, concurrency by default */
  | 'chart'
  /** the narrative log with the timeline */
  | 'timeline'
  /** topology, charts and narrative, like the app without its header and inspector */
  | 'full'
  /** the scenario and its variants side by side, each run to its end, one table */
  | 'compare'
  /** a sizing sweep (the `sweep` attribute): cost against p99 with the Pareto front, and the table */
  | 'sizing';

/** A setting a sizing sweep varies (`--vary <setting>=<values>`). */
export type LambdascapeSweepSetting =
  | 'provisioned'
  | 'reserved'
  | 'memory'
  | 'compute'
  | 'snapstart'
  | 'concurrency'
  | 'idle_lifetime'
  | 'traffic';

/** The sweep of view="sizing", as `lambdascape sweep`'s flags after the scenario:
 * "--vary provisioned=0..100:10 --seeds 3 --target-p99 200" (--vary once or twice, --function,
 * --seeds 1 to 50, --target-p99 in ms, --max-throttles), or as the sweep's JSON:
 * '{"axes":["provisioned=0..100:10"],"seeds":3,"target":{"p99_ms":200}}'. */
export type LambdascapeSweep = `--${string}` | `{${string}}`;

/** A chart id for view="chart". Charts past `cost` exist only for the scenarios that have their
 * data (provisioned concurrency, async, SQS sources, VPC functions). */
export type LambdascapeChart =
  | 'concurrency'
  | 'throttles'
  | 'cold-starts'
  | 'latency'
  | 'cost'
  | 'pc'
  | 'pc-utilization'
  | 'async'
  | 'sqs'
  | 'subnet-timeouts';

/** Which playback controls show. Default: none for compare, full for full and timeline,
 * minimal (play/pause and the time) otherwise. */
export type LambdascapeControls = 'none' | 'minimal' | 'full';

/** light, dark, or auto (the default): the page's own switch (data-theme, data-bs-theme,
 * data-color-scheme, a "dark"/"light" class or color-scheme on <html>), else the reader's
 * prefers-color-scheme. */
export type LambdascapeTheme = 'light' | 'dark' | 'auto';

/** A preset of the package's scenarios/ folder, by name. */
export type LambdascapePreset = string; // pack-widget.sh writes the preset names here

/** scenario: "presets/<name>" (or just "<name>") for a preset of the package's scenarios/
 * folder, or the URL of a scenario JSON file (relative to the page). Without it, the widget
 * reads a `<script type="application/json">` child. */
export type LambdascapeScenario = `presets/${LambdascapePreset}` | (string & {});

/** Simulated seconds per real second, from 0.1 to 1000: 10, "10" or "10x". */
export type LambdascapeSpeed = number | `${number}` | `${number}x`;

type DurationUnit = 'ms' | 's' | 'm' | 'h';
/** Where the widget starts, in simulated time: 90 (seconds), "90s", "2m", "1h", "1m30s",
 * "500ms", "01:30" (mm:ss) or "1:00:00" (hh:mm:ss). */
export type LambdascapeStart =
  | number
  | `${number}`
  | `${number}${DurationUnit}`
  | `${number}m${number}s`
  | `${number}h${number}m`
  | `${number}h${number}m${number}s`
  | `${number}:${number}`
  | `${number}:${number}:${number}`;

/** The widget's height: pixels (at least 80) as 420 or "420px", or "60vh", "30em", "25rem". */
export type LambdascapeHeight = number | `${number}` | `${number}${'px' | 'vh' | 'em' | 'rem'}`;

/** The attributes of <lambdascape-widget>. Changing one updates the widget (a new scenario
 * reloads it; the others keep its simulation where it is). */
export interface LambdascapeWidgetAttributes {
  /** "presets/<name>", or the URL of a scenario JSON file; else an inline
   * `<script type="application/json">` child. */
  scenario?: LambdascapeScenario;
  /** topology (default) | chart | timeline | full | compare | sizing */
  view?: LambdascapeView;
  /** For view="sizing": "--vary provisioned=0..100:10 --seeds 3 --target-p99 200", or the
   * sweep's JSON. */
  sweep?: LambdascapeSweep;
  /** The chart of view="chart": concurrency (default), throttles, cold-starts, latency, cost, ... */
  chart?: LambdascapeChart;
  /** Plays while on screen (never under prefers-reduced-motion). Present = on; "false" = off. */
  autoplay?: boolean | '' | 'autoplay' | 'true' | 'false';
  /** Simulated seconds per real second, 0.1 to 1000: 10 or "10x". */
  speed?: LambdascapeSpeed;
  /** Where the widget starts: "90s", "2m", "01:30", ... */
  start?: LambdascapeStart;
  /** none | minimal | full */
  controls?: LambdascapeControls;
  /** light | dark | auto (default: follows the page) */
  theme?: LambdascapeTheme;
  /** 420 (pixels, at least 80), "420px", "60vh", "30em" */
  height?: LambdascapeHeight;
}

/** A <lambdascape-widget> element. Its settings are its attributes (setAttribute), not
 * properties. */
export interface LambdascapeWidget extends HTMLElement {
  /** Re-reads the attributes and the page's colour scheme. The widget does this by itself when
   * an attribute or the page's scheme changes. */
  refreshOptions(): void;
}

/** The element's class, registered as "lambdascape-widget": customElements.get('lambdascape-widget'). */
export interface LambdascapeWidgetConstructor {
  new (): LambdascapeWidget;
  readonly prototype: LambdascapeWidget;
  readonly observedAttributes: ReadonlyArray<keyof LambdascapeWidgetAttributes>;
}

/** The element's props in JSX that uses the global JSX namespace (React 18's types, Preact's
 * classic mode, `jsx: "preserve"`): its attributes and a few common HTML ones. Hyphenated
 * attributes (data-*, aria-*) are always allowed in JSX. Loose on purpose where a framework has
 * its own types (style, ref, children), so React's stricter props stay compatible. */
export interface LambdascapeWidgetJSXProps extends LambdascapeWidgetAttributes {
  id?: string;
  class?: string;
  className?: string;
  title?: string;
  hidden?: boolean;
  slot?: string;
  style?: unknown;
  key?: string | number | bigint | null;
  ref?: unknown;
  children?: unknown;
}

declare global {
  interface HTMLElementTagNameMap {
    'lambdascape-widget': LambdascapeWidget;
  }
  interface CustomElementRegistry {
    get(name: 'lambdascape-widget'): LambdascapeWidgetConstructor | undefined;
  }
  namespace JSX {
    interface IntrinsicElements {
      'lambdascape-widget': LambdascapeWidgetJSXProps;
    }
  }
}
