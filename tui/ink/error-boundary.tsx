import { Text, useApp } from 'ink';
import { Component, type ReactNode, useEffect } from 'react';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** Catches a render crash and exits Ink with the error, so the caller restores the terminal and reports it. */
export class DashboardErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    if (this.state.error) return <ExitWithError error={this.state.error} />;
    return this.props.children;
  }
}

function ExitWithError({ error }: { error: Error }) {
  const { exit } = useApp();
  useEffect(() => {
    exit(error);
  }, [error, exit]);
  return <Text color="red">{`dashboard crashed: ${error.message}`}</Text>;
}
