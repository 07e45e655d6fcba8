// <lambdascape-widget> in React's JSX (React 19's types keep JSX in the React namespace, where
// the global declaration of index.d.ts does not reach), with React's own HTML attributes:
//   import type {} from 'lambdascape-widget/react';   // once, in any .ts/.tsx file or a .d.ts
// Types only: there is no code behind this entry; the element itself comes from
// `import 'lambdascape-widget'` or the script tag.
import type * as React from 'react';
import type { LambdascapeWidget, LambdascapeWidgetAttributes } from './index.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'lambdascape-widget': React.DetailedHTMLProps<React.HTMLAttributes<LambdascapeWidget>, LambdascapeWidget> &
        LambdascapeWidgetAttributes;
    }
  }
}
