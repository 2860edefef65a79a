import type { ReactNode } from "react";

export function Modal({ title, children, testid = "modal" }: { title: ReactNode; children: ReactNode; testid?: string }) {
  return (
    <div className="modal-layer">
      <div className="modal card" role="dialog" aria-modal="true" data-testid={testid}>
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}
