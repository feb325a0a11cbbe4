// The baseline of bench/cases/bundle.ts: what `npm create vite` gives for React 19, minus the
// logos. Gantry's first download is measured against this one's.
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";

function App() {
  const [count, setCount] = useState(0);
  return (
    <button type="button" onClick={() => setCount((value) => value + 1)}>
      count is {count}
    </button>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
