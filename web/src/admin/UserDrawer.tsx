import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { User } from "../api/types";
import { Badge } from "../components/Badge";
import { Drawer } from "../components/Drawer";
import { auditKey, HistoryPanel } from "../components/HistoryPanel";
import { RecordForm } from "../components/form/RecordForm";
import { useErrorText } from "../lib/errorText";
import { formatDateTime } from "../lib/format";
import { GrantsPanel } from "./GrantsPanel";
import { ResetPassword } from "./ResetPassword";
import { USER_CREATE_FIELDS, USER_EDIT_FIELDS } from "./userFields";

const NEW_USER = { locale: "en" };

export function UserDrawer({
  id,
  onCreated,
  onChanged,
  onClose,
}: {
  id: string | null;
  onCreated: (user: User) => void;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const userId = Number(id);
  const key = ["admin", "users", id];
  const query = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/admin/users/{user_id}", { params: { path: { user_id: userId } } })),
    enabled: id !== null,
  });

  if (id === null) {
    return (
      <Drawer title={t("admin.newUser")} onClose={onClose}>
        <RecordForm<User>
          fields={USER_CREATE_FIELDS}
          mode="create"
          record={NEW_USER}
          submit={(body) => unwrap(api.POST("/api/admin/users", { body: body as never }))}
          onSaved={onCreated}
        />
      </Drawer>
    );
  }

  const user = query.data;
  const changed = (saved?: User) => {
    if (saved && "version" in saved) queryClient.setQueryData(key, saved);
    else void query.refetch();
    void queryClient.invalidateQueries({ queryKey: auditKey("user", userId) });
    onChanged();
  };
  const act = async (run: () => Promise<unknown>) => {
    setActionError(null);
    try {
      const out = await run();
      changed(out as User | undefined);
    } catch (e) {
      setActionError(errorText(e));
    }
  };
  const path = { params: { path: { user_id: userId } } };
  const locked = user?.locked_until && new Date(user.locked_until) > new Date();

  return (
    <Drawer title={user ? `${user.username} · ${user.full_name}` : t("admin.user")} onClose={onClose}>
      {query.error && <div className="alert alert-error">{errorText(query.error)}</div>}
      {user && (
        <div className="stack">
          <div className="record-meta">
            <Badge value={user.active ? "active" : "inactive"} enumKey="status" />
            {locked && <Badge value="locked" enumKey="status" />}
            {user.mfa_enabled && <Badge value="mfa" enumKey="status" />}
            <span className="muted">
              {t("fields.last_login_at")}: {formatDateTime(user.last_login_at, i18n.language) || "—"}
            </span>
          </div>
          <RecordForm<User>
            key={`${id}-${user.version}`}
            fields={USER_EDIT_FIELDS}
            mode="edit"
            record={user}
            reason="optional"
            submit={(body) => unwrap(api.PATCH("/api/admin/users/{user_id}", { ...path, body: body as never }))}
            onSaved={changed}
            onReload={() => void query.refetch()}
          >
            <button
              type="button"
              className={user.active ? "btn btn-danger-outline" : "btn"}
              data-testid="toggle-active"
              onClick={() =>
                void act(() =>
                  unwrap(api.PATCH("/api/admin/users/{user_id}", { ...path, body: { active: !user.active, version: user.version } })),
                )
              }
            >
              {user.active ? t("admin.deactivate") : t("admin.activate")}
            </button>
            {locked && (
              <button
                type="button"
                className="btn"
                data-testid="unlock"
                onClick={() => void act(() => unwrap(api.POST("/api/admin/users/{user_id}/unlock", path)))}
              >
                {t("admin.unlock")}
              </button>
            )}
          </RecordForm>
          {actionError && <div className="alert alert-error">{actionError}</div>}
          <ResetPassword userId={user.id} />
          <GrantsPanel user={user} onChanged={() => changed()} />
          <HistoryPanel entityType="user" id={user.id} />
        </div>
      )}
    </Drawer>
  );
}
