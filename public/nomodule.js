/* Browsers without ES modules never run boot.mjs: say so instead of a blank page. ES5, no HTML strings. */
(function () {
  var box = document.createElement('div');
  box.className = 'message';
  var h = document.createElement('h1');
  h.appendChild(document.createTextNode('This browser is too old for NeuronLab'));
  var p = document.createElement('p');
  p.appendChild(document.createTextNode('NeuronLab needs a current browser with WebAssembly SIMD and WebGL2: ' +
    'Chrome or Edge 91+, Firefox 89+, Safari 16.4+.'));
  box.appendChild(h);
  box.appendChild(p);
  var m = document.getElementById('message');
  document.getElementById('loading').hidden = true;
  m.hidden = false;
  m.appendChild(box);
})();
