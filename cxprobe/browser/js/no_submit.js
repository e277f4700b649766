// Runs in every frame before the page's own scripts (an init script of each browser
// context). A form submission with any method but GET (form.submit(), requestSubmit(), a
// click on a submit button, in any frame) does not start: a navigation the network guard
// refused would stop the page loading mid-parse. Getters are taken from the prototypes at
// start, so a form cannot hide its method behind an input named "method". This is for a
// faithful measurement only; the promise itself is kept by the RequestGuard at the
// network, which page scripts cannot reach. Stopped submissions are listed in
// window.__cxprobeRefused for collect.js.
(() => {
  const get = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const formMethod = get(HTMLFormElement.prototype, 'method');
  const formAction = get(HTMLFormElement.prototype, 'action');
  const submitters = [HTMLButtonElement.prototype, HTMLInputElement.prototype];
  const hasAttribute = Element.prototype.hasAttribute;
  const refused = [];
  Object.defineProperty(window, '__cxprobeRefused', {value: refused, enumerable: false});
  const verdict = (form, submitter) => {
    let method = formMethod.call(form), action = formAction.call(form);
    for (const proto of submitters) {
      if (submitter instanceof proto.constructor) {
        if (hasAttribute.call(submitter, 'formmethod')) method = get(proto, 'formMethod').call(submitter);
        if (hasAttribute.call(submitter, 'formaction')) action = get(proto, 'formAction').call(submitter);
      }
    }
    method = String(method).toLowerCase();
    if (method === 'get' || method === 'dialog') return true;
    if (refused.length < 200) refused.push([method, String(action)]);
    return false;
  };
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (verdict(this, null)) return submit.call(this);
  };
  // requestSubmit() and submit buttons fire "submit" first; this listener is the first
  // one at the window, so it decides before the page's own handlers run.
  window.addEventListener('submit', (event) => {
    if (!verdict(event.target, event.submitter)) event.preventDefault();
  }, true);
})();
