/**
 * Catches a render error anywhere below it and shows a recoverable screen instead of a blank window.
 * The error message is shown (it never carries secrets: the renderer never holds any).
 */
import type { ErrorInfo, ReactNode } from 'react';
import { Component } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button';

interface State {
  error: Error | null;
}

/** An error boundary with a "Try again" reset. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('[parley] render failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) return <CrashScreen error={this.state.error} onReset={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}

function CrashScreen({ error, onReset }: { error: Error; onReset: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="center-screen">
      <div className="card crash" role="alert">
        <h1 className="card-title">{t('crash.title')}</h1>
        <p className="muted">{t('crash.body')}</p>
        <pre className="code crash-detail">{error.message}</pre>
        <div className="row">
          <Button variant="primary" onClick={onReset}>
            {t('crash.retry')}
          </Button>
          <Button onClick={() => window.location.reload()}>{t('crash.reload')}</Button>
        </div>
      </div>
    </div>
  );
}
