import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocation, useNavigate } from "react-router-dom";
import { api, setUnauthorizedHandler, unwrap } from "../api/client";
import { isApiError } from "../api/errors";
import type { Me } from "../api/types";
import { LANGUAGES, setLanguage, storedLanguage, type Language } from "../i18n";

export const ME_KEY = ["auth", "me"] as const;

interface AuthValue {
  me: Me | null;
  loading: boolean;
  can: (permission: string) => boolean;
  setMe: (me: Me | null) => void;
  refresh: () => Promise<unknown>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    return await unwrap(api.GET("/api/auth/me"));
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const query = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
  const me = query.data ?? null;

  const setMe = useCallback(
    (value: Me | null) => {
      if (value === null) queryClient.clear();
      queryClient.setQueryData(ME_KEY, value);
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe(null);
      if (location.pathname !== "/login") navigate("/login", { state: { from: location.pathname } });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, location.pathname, setMe]);

  // A user who never chose a language in this browser gets the one from their profile.
  useEffect(() => {
    if (me && !storedLanguage() && LANGUAGES.some((l) => l.code === me.locale)) setLanguage(me.locale as Language, false);
  }, [me]);

  const logout = useCallback(async () => {
    try {
      await unwrap(api.POST("/api/auth/logout"));
    } finally {
      setMe(null);
      navigate("/login");
    }
  }, [navigate, setMe]);

  const value = useMemo<AuthValue>(
    () => ({
      me,
      loading: query.isLoading,
      can: (permission) => !!me?.permissions.includes(permission),
      setMe,
      refresh: () => query.refetch(),
      logout,
    }),
    [me, query, setMe, logout],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** The signed-in user; only for components rendered inside the authenticated shell. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe without a signed-in user");
  return me;
}
