import { useSearchParams } from "react-router";
import { SSO_ERROR_PARAM, ssoFailureMessage } from "../../../shared/sso";
import { useApiQuery } from "../../lib/api/useApi";

/**
 * "Sign in with <provider>" on the sign-in page, when the server has one configured, and the
 * sentence for a single sign-on that came back refused (`?sso_error=<reason>`). The button is
 * a plain link: the server sends the browser on to the provider and back.
 */
export function SsoSignIn({ next }: { next: string }) {
  const provider = useApiQuery((api) => api.sso.provider.queryOptions());
  const [params] = useSearchParams();
  const reason = params.get(SSO_ERROR_PARAM);
  const name = provider.data?.name;
  const start = next === "/" ? "/auth/sso/start" : `/auth/sso/start?next=${encodeURIComponent(next)}`;
  return (
    <>
      {reason ? (
        <p role="alert" className="error-message" data-testid="sso-error">
          {ssoFailureMessage(reason, name ?? "Single sign-on")}
        </p>
      ) : null}
      {name ? (
        <p className="sso-sign-in">
          <a className="button-link" href={start} data-testid="sso-sign-in">
            Sign in with {name}
          </a>
        </p>
      ) : null}
    </>
  );
}
