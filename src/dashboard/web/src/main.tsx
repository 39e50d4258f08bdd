import { render } from 'preact';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

function App() {
  return <h1>Corridor {typeof uPlot}</h1>;
}
const root = document.getElementById('app');
if (root !== null) render(<App />, root);
