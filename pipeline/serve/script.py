"""The editor page's one script, allowed by its hash in the page's Content-Security-Policy.

It never puts a text it received into the page as markup: findings, conflict
texts and messages go in as ``textContent``; only the preview's HTML, which the
server rendered and sanitised as the review page's fragments are, is set as
HTML. Requests carry the page's CSRF token and JSON bodies.
"""

SCRIPT = r"""
(function(){
'use strict';
var body=document.body,csrf=document.querySelector('meta[name=bitext-csrf]').content;
var doc=body.dataset.doc,lang=body.dataset.lang;
document.documentElement.classList.add('js');
function post(path,data){
  return fetch(path,{method:'POST',credentials:'same-origin',
    headers:{'Content-Type':'application/json','X-CSRF-Token':csrf},
    body:JSON.stringify(data)}).then(function(r){
      return r.json().then(function(j){j.status=r.status;return j;},
        function(){return {status:r.status,error:'the server answered '+r.status};});});
}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
  if(text!==undefined)e.textContent=text;return e;}
function show(row,findings){
  var ul=row.querySelector('ul.live');ul.textContent='';
  findings.forEach(function(f){
    var li=el('li','sev-'+f.severity);li.appendChild(el('span','sev sev-'+f.severity,f.severity));
    li.appendChild(document.createTextNode(' '));li.appendChild(el('span','check',f.check));
    li.appendChild(document.createTextNode(': '+f.message));ul.appendChild(li);});
  row.dataset.findings=String(findings.length);
}
function status(row,text,kind){var s=row.querySelector('.status');s.textContent=text;
  s.className='status'+(kind?' '+kind:'');}
function dirty(row){var t=row.querySelector('textarea');
  row.classList.toggle('dirty',t.value!==row.saved);}
function refresh(row){
  var t=row.querySelector('textarea'),text=t.value,n=++row.asked;
  var data={doc:doc,lang:lang,key:row.id,text:text};
  post('/api/check',data).then(function(j){if(n!==row.asked)return;
    if(j.error){status(row,j.error,'bad');return;}show(row,j.findings);});
  post('/api/preview',data).then(function(j){if(n!==row.asked)return;
    var p=row.querySelector('.preview .html');if(j.error){p.textContent=j.error;return;}
    p.innerHTML=j.html;});
}
function conflict(row,j){
  var box=row.querySelector('.conflict');box.textContent='';box.hidden=false;
  box.appendChild(el('p','','Not saved: this file changed on disk since the page was '+
    'loaded (another tab, an editor, a git pull). Yours is kept here; choose:'));
  var pair=el('div','pair');
  var a=el('div','side theirs');a.appendChild(el('strong','','On disk now ('+j.theirs_state+')'));
  a.appendChild(el('pre','',j.theirs));
  var b=el('div','side yours');b.appendChild(el('strong','','Yours (not saved)'));
  b.appendChild(el('pre','',j.yours));
  pair.appendChild(a);pair.appendChild(b);box.appendChild(pair);
  var take=el('button','','Use theirs'),keep=el('button','','Keep mine (save over theirs)');
  take.type=keep.type='button';
  take.addEventListener('click',function(){var t=row.querySelector('textarea');
    t.value=j.theirs;row.saved=j.theirs;row.dataset.version=j.version;box.hidden=true;
    dirty(row);refresh(row);status(row,'took the version on disk','ok');});
  keep.addEventListener('click',function(){row.dataset.version=j.version;box.hidden=true;
    save(row,row.lastReviewed);});
  box.appendChild(take);box.appendChild(document.createTextNode(' '));box.appendChild(keep);
  row.classList.add('in-conflict');
}
function save(row,reviewed){
  var t=row.querySelector('textarea'),sent=row.dataset.version;row.lastReviewed=reviewed;
  status(row,'saving…');
  post('/api/save',{doc:doc,lang:lang,key:row.id,text:t.value,version:sent,
    reviewed:reviewed}).then(function(j){
    if(j.status===409){conflict(row,j);status(row,'conflict: not saved','bad');return;}
    if(j.error){status(row,j.error,'bad');return;}
    row.classList.remove('in-conflict');row.querySelector('.conflict').hidden=true;
    row.saved=j.text;t.value=j.text;
    [].forEach.call(document.querySelectorAll('article.row'),function(r){
      if(r.dataset.version===sent)r.dataset.version=j.version;});
    row.dataset.version=j.version;row.dataset.state=j.state;
    var change=row.querySelector('.change');if(change&&j.state!=='fuzzy')change.hidden=true;
    var badge=row.querySelector('.badge');badge.className='badge b-'+j.state;
    badge.textContent=j.state_name;
    status(row,(reviewed?'reviewed and saved':'saved')+
      (j.problems.length?'; bitext update says: '+j.problems.join('; '):''),
      j.problems.length?'bad':'ok');
    dirty(row);refresh(row);});
}
window.addEventListener('beforeunload',function(e){
  if(document.querySelector('article.row.dirty')){e.preventDefault();e.returnValue='';}});
[].forEach.call(document.querySelectorAll('article.row'),function(row){
  var t=row.querySelector('textarea');if(!t)return;
  row.saved=t.value;row.asked=0;var timer=null;
  t.addEventListener('input',function(){dirty(row);clearTimeout(timer);
    timer=setTimeout(function(){refresh(row);},300);});
  row.querySelector('.tools').hidden=false;
  row.querySelector('[data-act=save]').addEventListener('click',function(){save(row,false);});
  row.querySelector('[data-act=review]').addEventListener('click',function(){save(row,true);});
  row.querySelector('[data-act=revert]').addEventListener('click',function(){
    t.value=row.saved;dirty(row);refresh(row);status(row,'reverted to the saved text');});
});
})();
"""
