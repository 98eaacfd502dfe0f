import { LoginForm } from "../features/auth/LoginForm";
import { SystemStrip } from "../features/system/SystemStrip";
import { Notice } from "../features/ui/Notice";

export function LoginPage({ reason }: { reason: string | null }) {
  return (
    <div className="login-page">
      <SystemStrip />
      <main className="login-main">
        {reason && <Notice kind="info">{reason}</Notice>}
        <LoginForm />
      </main>
    </div>
  );
}
