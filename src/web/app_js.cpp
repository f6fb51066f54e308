#include "web/pages.h"

namespace modelwatch::web {

namespace {

// Refresh, filter, lazy bars of collapsed groups, and hover figures. Served
// as /static/app.js so the CSP can forbid every inline script.
constexpr std::string_view kJs = R"js("use strict";
(function(){
const tip=document.getElementById("tip");
function fmtDate(ms,step){const d=new Date(ms);const s=d.toISOString();return step>=86400000?s.slice(0,10):s.slice(0,13).replace("T"," ")+":00";}
function hover(ev){
  const svg=ev.target.closest("svg.bars");
  if(!svg){tip.style.display="none";return;}
  const r=svg.getBoundingClientRect();const v=svg.dataset.v.split(";");const n=v.length-1;
  const i=Math.min(n-1,Math.max(0,Math.floor((ev.clientX-r.left)/r.width*n)));
  const step=+svg.dataset.step,start=+svg.dataset.start;const p=v[i].split(":");
  let text=fmtDate(start+i*step,step)+" UTC: ";
  if(p.length<3){text+="no checks";}else{text+=(p[0]===""?"only rate limited":p[0]+" % up")+", "+p[1]+" checks, "+p[2]+" failed";}
  tip.textContent=text;tip.style.display="block";
  tip.style.left=Math.min(ev.clientX+12,window.innerWidth-tip.offsetWidth-8)+"px";tip.style.top=(ev.clientY+14)+"px";
}
document.addEventListener("mousemove",hover);
document.addEventListener("touchstart",function(e){if(e.touches[0])hover({target:e.target,clientX:e.touches[0].clientX,clientY:e.touches[0].clientY});},{passive:true});
function applyFilter(){
  const f=document.getElementById("filter");if(!f)return;const q=f.value.trim().toLowerCase();
  document.querySelectorAll("details.group").forEach(function(g){
    let shown=0;g.querySelectorAll("tbody tr").forEach(function(tr){
      const ok=!q||(tr.textContent+" "+(tr.dataset.s||"")).toLowerCase().indexOf(q)>=0;tr.hidden=!ok;if(ok)shown++;});
    g.hidden=shown===0;if(q&&shown>0&&!g.open){g.open=true;}
  });
}
function loadBars(g){
  const cells=Array.from(g.querySelectorAll("td.b9")).filter(function(c){return !c.firstChild;});
  if(!cells.length)return;
  const name=function(c){return c.parentNode.querySelector("a").textContent;};
  const names=cells.map(name);
  fetch("/api/v1/bars?monitors="+names.map(encodeURIComponent).join(",")).then(function(r){return r.json();}).then(function(j){
    cells.forEach(function(c){const b=j.monitors[name(c)];if(!b)return;
      c.innerHTML=b.days;const h=c.parentNode.querySelector("td.b2");if(h)h.innerHTML=b.hours;});
  }).catch(function(){});
}
function wire(){
  const f=document.getElementById("filter");if(f){f.addEventListener("input",applyFilter);applyFilter();}
  document.querySelectorAll("details.group").forEach(function(g){
    if(g.open)loadBars(g);g.addEventListener("toggle",function(){if(g.open)loadBars(g);});});
  const u=document.getElementById("updated");if(u)u.textContent="updated "+new Date().toLocaleTimeString();
}
function refresh(){
  if(document.hidden)return;const f=document.getElementById("filter");
  if(f&&document.activeElement===f)return;
  const open=new Set();document.querySelectorAll("details.group[open]>summary").forEach(function(s){open.add(s.textContent);});
  const q=f?f.value:"";
  fetch(location.href,{headers:{"Accept":"text/html"}}).then(function(r){return r.text();}).then(function(t){
    const doc=new DOMParser().parseFromString(t,"text/html");const m=doc.querySelector("main");if(!m)return;
    document.querySelector("main").replaceWith(document.adoptNode(m));
    document.querySelectorAll("details.group>summary").forEach(function(s){if(open.has(s.textContent))s.parentNode.open=true;});
    const nf=document.getElementById("filter");if(nf)nf.value=q;wire();
  }).catch(function(){});
}
wire();setInterval(refresh,30000);
})();
)js";

}  // namespace

std::string_view AppJs() { return kJs; }

}  // namespace modelwatch::web
