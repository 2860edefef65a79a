import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { isApiError, type ApiError } from "../api/errors";
import type { Id } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { FieldErrors } from "../components/FieldErrors";
import { Modal } from "../components/Modal";
import { useErrorText } from "../lib/errorText";
import { formatDateTime, utc } from "../lib/format";
import { spcApi, type AlarmStatus } from "./api";

/** Everything that shows alarms is refreshed after one is handled. */
function useAlarmChanged() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["spc"] });
}

/**
 * A dialog that handles an alarm: the fields, the server's errors (under the field they name,
 * otherwise above the buttons), cancel and confirm. The alarm views are refreshed on success.
 */
function AlarmDialog({
  title,
  testid,
  hint,
  fields,
  send,
  ready,
  confirm,
  onClose,
}: {
  title: string;
  testid: string;
  hint: string;
  fields: (error: ApiError | null) => ReactNode;
  send: () => Promise<unknown>;
  ready: boolean;
  confirm: { label: string; testid: string; errorTestid: string; names: string[] };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const changed = useAlarmChanged();
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: () => {
      void changed();
      onClose();
    },
  });
  const error = isApiError(mutation.error) ? (mutation.error as ApiError) : null;
  const fieldScoped = error && error.fieldErrors.some((fe) => confirm.names.includes(fe.field.split(".").pop() ?? ""));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };

  return (
    <Modal title={title} testid={testid}>
      <form className="stack" onSubmit={submit}>
        <p className="muted">{hint}</p>
        {fields(error)}
        {mutation.error && !fieldScoped && (
          <div className="alert alert-error" data-testid={confirm.errorTestid}>
            {errorText(mutation.error)}
          </div>
        )}
        <div className="row-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" data-testid={confirm.testid} disabled={mutation.isPending || !ready}>
            {mutation.isPending ? t("common.working") : confirm.label}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ResolveDialog({ alarmId, onClose }: { alarmId: Id; onClose: () => void }) {
  const { t } = useTranslation();
  const [cause, setCause] = useState("");
  const [action, setAction] = useState("");
  return (
    <AlarmDialog
      title={t("spc.alarm.resolveTitle", { id: alarmId })}
      testid="resolve-dialog"
      hint={t("spc.alarm.resolveHint")}
      send={() => spcApi.resolve(alarmId, cause.trim(), action.trim())}
      ready={!!cause.trim() && !!action.trim()}
      confirm={{ label: t("spc.alarm.resolve"), testid: "resolve-confirm", errorTestid: "resolve-error", names: ["cause", "action"] }}
      onClose={onClose}
      fields={(error) => (
        <>
          <label className="field">
            <span>
              {t("spc.alarm.cause")} <span className="required">*</span>
            </span>
            <textarea data-testid="resolve-cause" rows={3} required value={cause} onChange={(e) => setCause(e.target.value)} autoFocus />
            <FieldErrors error={error} field="cause" />
          </label>
          <label className="field">
            <span>
              {t("spc.alarm.action")} <span className="required">*</span>
            </span>
            <textarea data-testid="resolve-action" rows={3} required value={action} onChange={(e) => setAction(e.target.value)} />
            <FieldErrors error={error} field="action" />
          </label>
        </>
      )}
    />
  );
}

/** Acknowledging with a note for the alarm's record (a plain click acknowledges without one). */
function AckDialog({ alarmId, onClose }: { alarmId: Id; onClose: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  return (
    <AlarmDialog
      title={t("spc.alarm.ackTitle", { id: alarmId })}
      testid="ack-dialog"
      hint={t("spc.alarm.ackHint")}
      send={() => spcApi.acknowledge(alarmId, note.trim() || undefined)}
      ready
      confirm={{ label: t("spc.alarm.acknowledge"), testid: "ack-confirm", errorTestid: "ack-dialog-error", names: ["note"] }}
      onClose={onClose}
      fields={(error) => (
        <label className="field">
          <span>{t("spc.alarm.note")}</span>
          <textarea data-testid="ack-note" rows={3} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
          <FieldErrors error={error} field="note" />
        </label>
      )}
    />
  );
}

/**
 * Acknowledge (one click; "With note…" opens a dialog for a note) and Resolve for one alarm,
 * for users allowed to handle alarms.
 */
export function AlarmActions({ id, status }: { id: Id; status: AlarmStatus | string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { errorText } = useErrorText();
  const changed = useAlarmChanged();
  const [resolving, setResolving] = useState(false);
  const [noting, setNoting] = useState(false);
  const ack = useMutation({ mutationFn: () => spcApi.acknowledge(id), onSuccess: () => void changed() });

  if (!can("alarm.handle") || status === "resolved") return null;
  return (
    <div className="alarm-actions">
      {status === "raised" && (
        <button
          className="btn btn-small btn-primary"
          data-testid={`ack-${id}`}
          disabled={ack.isPending}
          onClick={() => ack.mutate()}
        >
          {ack.isPending ? t("common.working") : t("spc.alarm.acknowledge")}
        </button>
      )}
      {status === "raised" && (
        <button
          className="btn btn-small"
          data-testid={`ack-note-${id}`}
          disabled={ack.isPending}
          onClick={() => setNoting(true)}
        >
          {t("spc.alarm.ackWithNote")}
        </button>
      )}
      <button className="btn btn-small" data-testid={`resolve-${id}`} onClick={() => setResolving(true)}>
        {t("spc.alarm.resolve")}
      </button>
      {ack.error && (
        <span className="field-error" data-testid={`ack-error-${id}`}>
          {errorText(ack.error)}
        </span>
      )}
      {noting && <AckDialog alarmId={id} onClose={() => setNoting(false)} />}
      {resolving && <ResolveDialog alarmId={id} onClose={() => setResolving(false)} />}
    </div>
  );
}

/** The state of an alarm as a badge with words (not colour alone). */
export function AlarmStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const tone = status === "raised" ? "danger" : status === "acknowledged" ? "warn" : "ok";
  return (
    <span className={`badge badge-${tone}`} data-testid={`alarm-status-${status}`}>
      {t(`spc.alarmStatus.${status}`, { defaultValue: status })}
    </span>
  );
}

/** When the reading that raised the alarm was taken (the alarm is stored a moment later). */
export function ReadingTime({ ts, testid }: { ts: string | null | undefined; testid: string }) {
  const { t, i18n } = useTranslation();
  if (!ts) return null;
  return (
    <div className="muted small" data-testid={testid} title={utc(ts)}>
      {t("spc.alarm.reading")}: {formatDateTime(ts, i18n.language)}
    </div>
  );
}
