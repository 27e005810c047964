# synack 的简体中文消息。每个 id 与 en-US.ftl 一一对应，占位符（{ $name }）也必须相同。
# 协议字段名和字段值（tcp.flags.syn、ESTABLISHED、handshake-1）保持 Wireshark 的写法，不翻译。

## 计数

count-bytes = { $count } 字节
count-packets = { $count } 个分组
list-separator = 、

## 两端的角色

role-client = 客户端
role-server = 服务器
role-host = 主机
role-host-at = 主机 { $address }

## synack.explain：每个 TCP 报文段一句话，带真实的数值

explain-syn-refused = { $sender }请求连接端口 { $port }，初始序列号 x = { $x }，但该端口无人监听：{ $receiver }处于 CLOSED 状态，将以 RST 回应。
explain-syn = { $sender }请求建立连接，选定初始序列号 x = { $x }；{ $receiver }将从 { $state } 状态作出应答。
explain-syn-ack = { $sender }同意建立连接：选定自己的初始序列号 y = { $y }，并以确认号 ack = x+1 = { $ack } 确认对方的 SYN。
explain-handshake-ack = { $sender }以确认号 ack = y+1 = { $ack } 确认{ $receiver }的 SYN：三次握手完成，双方都进入 ESTABLISHED 状态，可以开始传输数据。
explain-data = { $sender }发送 { $len } 字节数据（相对序列号 { $first } 到 { $next }）；{ $receiver }将以确认号 { $next } 确认。
explain-ack = { $sender }确认已收到{ $receiver }发来的全部数据，直到相对序列号 { $ack }；该报文段不携带数据。
explain-fin-crossing = { $sender }已没有数据要发送：它的 FIN 序列号 seq = u = { $u }，进入 FIN-WAIT-1 状态。{ $receiver }自己的 FIN 也已在途中，两个 FIN 交错而过。
explain-fin = { $sender }已没有数据要发送：它的 FIN 序列号 seq = u = { $u }，进入 FIN-WAIT-1 状态；{ $receiver }得知{ $sender }已发送完毕，进入 CLOSE-WAIT 状态。
explain-fin-ack = { $sender }以确认号 ack = u+1 = { $ack } 确认{ $receiver }的 FIN，但暂不发送自己的 FIN；{ $receiver }现在处于 { $state } 状态。
explain-fin-ack-fin = { $sender }在同一个报文段中确认对方的 FIN（ack = u+1 = { $ack }）并发出自己的 FIN（seq = w = { $w }）：四次挥手只用了三个报文段。
explain-second-fin-crossed = { $sender }在收到{ $receiver }的 FIN 之前就发出了自己的 FIN（seq = w = { $w }）：两个 FIN 交错，双方都进入 CLOSING 状态。
explain-second-fin = { $sender }也已发送完毕：它的 FIN 序列号 seq = w = { $w }，进入 { $state } 状态。
explain-last-ack = { $sender }以确认号 ack = w+1 = { $ack } 确认最后一个 FIN：{ $receiver }现在处于 { $receiver_state } 状态，{ $sender }在 { $sender_state } 状态等待。
explain-rst-refused = { $sender }以 RST 拒绝连接：端口 { $port } 无人监听，双方都处于 CLOSED 状态。
explain-rst = { $sender }以 RST 中止连接：不经 FIN 交换，双方直接进入 CLOSED 状态。

## 时序图（synack flow、流程窗格及其 SVG 和 PNG）

note-syn = x = { $x }（初始序列号）
note-syn-ack = y = { $y }（初始序列号），x+1 = { $ack }
note-fin-ack-fin = w = { $w }，u+1 = { $ack }：ACK 与 FIN 在同一个报文段中发出
note-fins-crossed = w = { $w }：两个 FIN 交错
note-data = seq { $first } 到 { $next }（{ $len } 字节）
phase-handshake = 握手
phase-data = 数据
phase-close = 关闭
phase-title-handshake = 三次握手
phase-title-data = 数据传输
phase-title-close = 连接释放
ladder-seen = 已见：{ $phases }
ladder-fins-crossed = ；两个 FIN 交错（同时关闭）
ladder-close-in-three = ；第二个 FIN 同时确认了第一个（三个报文段完成挥手）
ladder-ended-by-rst = ；以 RST 结束
ladder-heading-relative = TCP 流 { $stream }：{ $left } <-> { $right }（相对序列号）
ladder-heading-absolute = TCP 流 { $stream }：{ $left } <-> { $right }（绝对序列号）
ladder-col-frame = 帧
ladder-col-time = 时间
ladder-col-step = 步骤
ladder-changed-note = （* 表示该分组使状态发生了变化）
ladder-packet-title = 分组 #{ $frame }：{ $step }

## 窗口：菜单

menu-file = 文件
menu-view = 视图
menu-capture = 捕获
menu-go = 跳转
menu-analyze = 分析
menu-statistics = 统计
menu-help = 帮助
menu-help-about = 一个讲解 TCP 的分组分析器。
menu-open = 打开…
menu-open-recent = 最近打开
menu-none = （无）
menu-open-sample = 打开示例捕获文件
menu-save-as = 捕获另存为…
menu-export = 导出特定分组…
menu-quit = 退出
menu-go-to-packet = 转到分组…  (Ctrl+G)
menu-find-packet = 查找分组…  (Ctrl+F)
menu-go-next = 下一个分组
menu-go-previous = 上一个分组
menu-go-first = 第一个分组
menu-go-last = 最后一个分组
menu-go-previous-in-conversation = 会话中的上一个分组  (Ctrl+,)
menu-go-next-in-conversation = 会话中的下一个分组  (Ctrl+.)
menu-decode-as = 解码为…
menu-colorize = 着色分组列表
menu-teaching = 教学模式（步骤列、讲解）
menu-diagram = 分组结构图（按 RFC 的画法展示首部）
menu-ladder-view = 时序图视图  (L)
menu-leave-ladder-view = 退出时序图视图  (L)
menu-theme = 主题
menu-language = 语言
menu-zoom-in = 放大  (Ctrl++)
menu-zoom-out = 缩小  (Ctrl+−)
menu-zoom-normal = 正常大小  (Ctrl+0)
menu-time-format = 时间显示格式
menu-precision-auto = 自动（按文件精度）
menu-precision-seconds = 秒
menu-precision-milliseconds = 毫秒
menu-precision-microseconds = 微秒
menu-precision-nanoseconds = 纳秒
menu-font-size = 字号
theme-system = 跟随桌面（浅色或深色）
theme-light = 浅色
theme-dark = 深色
theme-projector = 投影仪（高对比度）
time-relative = 自捕获开始经过的秒数
time-delta = 自上一个捕获分组经过的秒数
time-delta-displayed = 自上一个显示分组经过的秒数
time-absolute = 当日时间
time-absolute-date = 日期和当日时间
time-utc = UTC 当日时间
time-utc-date = UTC 日期和当日时间
time-epoch = 自 1970-01-01 经过的秒数
