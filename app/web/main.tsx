/**
 * The web app's entry: two views behind tabs, the backend check (`#backend`, the default)
 * and segmentation (`#segment`). A view starts when first shown and keeps its state when
 * hidden. Bundled by `deno task build` into static/dist/main.js.
 *
 * Only type imports from lib/ and workers/ here and in the views: a value import from a
 * module that imports tfjs would pull all of tfjs into the page bundle, and tfjs only
 * belongs in the workers' bundles.
 *
 * @module
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { BackendCheckView } from "./backend_check_view.tsx";
import { SegmentView } from "./segment_view.tsx";

const _VIEWS = [
  { id: "backend", title: "Backend check", View: BackendCheckView },
  { id: "segment", title: "Segment", View: SegmentView },
] as const;

type _ViewId = (typeof _VIEWS)[number]["id"];

/** The view named by the address's hash (`#segment`), else the first. */
function _viewFromHash(): _ViewId {
  const asked = location.hash.slice(1);
  return _VIEWS.find((view) => view.id === asked)?.id ?? _VIEWS[0].id;
}

/** The page: tabs, then the views shown so far (all but the current one hidden). */
export function App() {
  const [current, setCurrent] = useState<_ViewId>(_viewFromHash);
  const [shown, setShown] = useState<ReadonlySet<_ViewId>>(() => new Set([current]));

  useEffect(() => {
    const onHash = () => setCurrent(_viewFromHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => setShown((seen) => seen.has(current) ? seen : new Set([...seen, current])), [
    current,
  ]);

  return (
    <main>
      <h1>Biomedical workbench</h1>
      <nav class="tabs" role="tablist">
        {_VIEWS.map((view) => (
          <a
            key={view.id}
            href={`#${view.id}`}
            role="tab"
            aria-selected={view.id === current}
            data-testid={`tab-${view.id}`}
          >
            {view.title}
          </a>
        ))}
      </nav>
      {_VIEWS.filter((view) => shown.has(view.id) || view.id === current).map((view) => (
        <div key={view.id} role="tabpanel" hidden={view.id !== current}>
          <view.View />
        </div>
      ))}
    </main>
  );
}

render(<App />, document.getElementById("app")!);
