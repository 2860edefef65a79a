import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { BOARD_STREAM_URL, spcApi, spcKeys, type Board } from "./api";

export type LiveState = "connecting" | "live" | "reconnecting";

const POLL_MS = 5_000;
const RETRY_STREAM_MS = 15_000;

/**
 * The quality board, kept current by the server's event stream (`event: board`). When the stream
 * fails the board is polled every 5 s and the stream is tried again a little later.
 */
export function useLiveBoard() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const query = useQuery({
    queryKey: spcKeys.board,
    queryFn: spcApi.board,
    refetchInterval: state === "live" ? false : POLL_MS,
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") {
      setState("reconnecting");
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      source = new EventSource(BOARD_STREAM_URL, { withCredentials: true });
      source.addEventListener("open", () => setState("live"));
      source.addEventListener("board", (event) => {
        try {
          queryClient.setQueryData<Board>(spcKeys.board, JSON.parse((event as MessageEvent<string>).data) as Board);
          setState("live");
        } catch {
          // A malformed event is skipped; the next one (or polling) brings the board.
        }
      });
      source.addEventListener("error", () => {
        source?.close();
        if (stopped) return;
        setState("reconnecting");
        retry = setTimeout(connect, RETRY_STREAM_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [queryClient]);

  return { ...query, live: state };
}
